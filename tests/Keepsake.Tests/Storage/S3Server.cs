using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Storage;

/// <summary>
/// A real S3-compatible server (s3rver, on node) on a free loopback port with its data in a temporary
/// folder, for the tests of one collection. s3rver is installed outside the clone by scripts/test.sh,
/// under <c>$KEEPSAKE_TEST_TOOLS</c> (default <c>~/.cache/keepsake-test-tools</c>).
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Key = "S3RVER";
    public const string Region = "us-east-1";

    private static readonly Lazy<S3Server> SharedServer = new(() =>
    {
        var server = new S3Server();
        Task.Run(server.InitializeAsync).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Task.Run(server.DisposeAsync).GetAwaiter().GetResult();
        return server;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TemporaryFolder _folder = new();
    private Process? _process;
    private readonly System.Text.StringBuilder _log = new();
    private volatile bool _stopping;

    /// <summary>One server for the whole test run (the scale stack's), started on first use and stopped at exit.</summary>
    public static S3Server Shared => SharedServer.Value;

    public string ServiceUrl { get; private set; } = "";

    /// <summary>A client as Keepsake makes it, for arranging and inspecting buckets.</summary>
    public AmazonS3Client Client { get; private set; } = null!;

    public static string ToolsFolder =>
        Environment.GetEnvironmentVariable("KEEPSAKE_TEST_TOOLS") is { Length: > 0 } tools
            ? tools
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "keepsake-test-tools");

    public S3StorageOptions Options(string bucket) => new()
    {
        ServiceUrl = ServiceUrl,
        Bucket = bucket,
        Region = Region,
        ForcePathStyle = true,
        UseChunkEncoding = false,
        AccessKey = Key,
        SecretKey = Key,
    };

    /// <summary>The settings of a Keepsake server that keeps its blobs in <paramref name="bucket"/>.</summary>
    public Dictionary<string, string?> Settings(string bucket) => new()
    {
        ["Storage:Provider"] = "s3",
        ["Storage:S3:ServiceUrl"] = ServiceUrl,
        ["Storage:S3:Bucket"] = bucket,
        ["Storage:S3:Region"] = Region,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:UseChunkEncoding"] = "false",
        ["Storage:S3:AccessKey"] = Key,
        ["Storage:S3:SecretKey"] = Key,
    };

    /// <summary>
    /// Sets the time s3rver reports as an object's last modification (its object file's, which it gives to the whole
    /// second as S3 does), to stage a file written at a given moment.
    /// </summary>
    public void SetLastModified(string bucket, string key, DateTimeOffset time)
    {
        var parts = key.Split('/');
        var file = Path.Combine([_folder.Path, "data", bucket, .. parts[..^1], parts[^1] + "._S3rver_object"]);
        File.SetLastWriteTimeUtc(file, time.UtcDateTime);
    }

    /// <summary>Creates a bucket of its own for one test and returns its name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = "test-" + Guid.NewGuid().ToString("N")[..20];
        await Client.PutBucketAsync(bucket);
        return bucket;
    }

    /// <summary>Stops the server while Keepsake servers still use it.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Every object in a bucket, by key.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string bucket)
    {
        var response = await Client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    public async Task InitializeAsync()
    {
        var script = Path.Combine(ToolsFolder, "node_modules", ".bin", "s3rver");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"s3rver is not installed at {script}. Run scripts/test.sh once (it installs s3rver@3.7.1 under $KEEPSAKE_TEST_TOOLS, default ~/.cache/keepsake-test-tools).");
        }
        var port = LoopbackPorts.Unused();
        ServiceUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        RemoveLeftovers();
        ServerOwnership.Claim(_folder.Path);
        var data = Path.Combine(_folder.Path, "data");
        Directory.CreateDirectory(data);
        // s3rver encrypts its list continuation tokens with DES, which Node 17+ only offers from OpenSSL's legacy
        // provider: without it every truncated listing (more keys than max-keys) is a 500.
        start.ArgumentList.Add("--openssl-legacy-provider");
        foreach (var argument in new[] { script, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        // A server that dies under the tests fails every test after with 'connection refused': say why, once, where the run's log shows it.
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) =>
        {
            if (!_stopping)
            {
                Console.Error.WriteLine($"s3rver on {ServiceUrl} (pid {_process.Id}) exited by itself with {_process.ExitCode}:\n{Log}");
            }
        };
        await File.WriteAllTextAsync(Path.Combine(_folder.Path, ServerPidFile), _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = S3BlobStore.CreateClient(Options("unused"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await Client.ListBucketsAsync();
                return;
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or AmazonClientException && DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(200);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"s3rver did not start on {ServiceUrl}: {e.Message}\n{Log}", e);
            }
        }
    }

    private const string ServerPidFile = "s3rver.pid";

    /// <summary>s3rver outlives a test process that is ended before its exit handlers run.</summary>
    private static void RemoveLeftovers()
    {
        // Where TemporaryFolder puts every test's folder, this one's among them.
        var tests = Path.Combine(Path.GetTempPath(), "keepsake-tests");
        foreach (var folder in Directory.EnumerateDirectories(tests).Where(f => File.Exists(Path.Combine(f, ServerPidFile)) && ServerOwnership.IsAbandoned(f)))
        {
            if (ServerOwnership.ReadPid(Path.Combine(folder, ServerPidFile)) is { } pid)
            {
                ServerOwnership.KillLeftover(pid, "node", folder);
            }
            ServerOwnership.DeleteFolder(folder);
        }
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await StopAsync();
        _process?.Dispose();
        _folder.Dispose();
    }

}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "S3 server";
}
