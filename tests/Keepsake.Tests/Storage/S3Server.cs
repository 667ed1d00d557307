using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    private readonly TemporaryFolder _folder = new();
    private Process? _process;
    private readonly System.Text.StringBuilder _log = new();

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

    /// <summary>Creates a bucket of its own for one test and returns its name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = "test-" + Guid.NewGuid().ToString("N")[..20];
        await Client.PutBucketAsync(bucket);
        return bucket;
    }

    /// <summary>Every object in a bucket, by key, with its bytes.</summary>
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
        var port = FreePort();
        ServiceUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "-d", _folder.Path, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _folder.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "S3 server";
}
