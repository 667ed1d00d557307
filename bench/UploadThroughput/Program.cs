using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.S3;
using Keepsake.Data;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

// Upload throughput of the real binary: the embedded stack (SQLite + folder) against the scale stack
// (PostgreSQL + S3 + Redis), side by side in one run, alternating, on loopback. Usage:
//   dotnet run -c Release --project bench/UploadThroughput -- [rounds=3] [clients=4] [photos folder]
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var folder = args.Length > 2 ? args[2] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/testdata/photos"));
var photos = Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal) && !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
Console.WriteLine($"{photos.Count} photos from {folder}; {clients} clients at once, each a user of its own uploading every photo once; {rounds} rounds per stack");

await using var s3 = await S3rver.StartAsync();
var results = new Dictionary<string, List<double>> { ["embedded"] = [], ["scale"] = [] };
for (var round = 1; round <= rounds; round++)
{
    foreach (var stack in new[] { "embedded", "scale" })
    {
        var rate = await Bench.RoundAsync(stack, s3, photos, clients);
        results[stack].Add(rate);
        Console.WriteLine($"round {round} {stack,-8} {rate,7:0.0} photos/s");
    }
}
foreach (var (stack, rates) in results)
{
    var sorted = rates.Order().ToList();
    Console.WriteLine($"median {stack,-8} {sorted[sorted.Count / 2],7:0.0} photos/s  (rounds: {string.Join(", ", rates.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))})");
}
return 0;

internal static class Bench
{
    private const string Password = "correct horse battery";

    /// <summary>One fresh server on one stack; returns accepted photos per second over the whole upload.</summary>
    public static async Task<double> RoundAsync(string stack, S3rver s3, IReadOnlyList<string> photos, int clients)
    {
        var work = Path.Combine(Path.GetTempPath(), "keepsake-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(work, "keepsake.db")}",
            ["Storage:Path"] = Path.Combine(work, "data"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        string? database = null;
        if (stack == "scale")
        {
            database = PostgresServer.Instance.CreateDatabase();
            var options = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
            DataExtensions.ConfigurePostgres(options, database);
            await using (var db = new PostgresKeepsakeDbContext(options.Options))
            {
                await db.Database.MigrateAsync();
            }
            settings["Database:Provider"] = "postgres";
            settings["Database:ConnectionString"] = database;
            foreach (var (key, value) in await s3.BucketSettingsAsync())
            {
                settings[key] = value;
            }
            settings["Cache:Redis"] = RedisServer.Instance.Configuration;
            settings["Cache:InstanceName"] = $"bench-{Guid.NewGuid():N}:";
        }
        var server = await Server.StartAsync(work, settings);
        try
        {
            var owner = server.Client();
            Check(await owner.PostAsJsonAsync("/api/setup", new { email = "owner@example.com", password = Password }));
            var users = new List<HttpClient>();
            for (var i = 0; i < clients; i++)
            {
                var email = $"user{i}@example.com";
                Check(await owner.PostAsJsonAsync("/api/admin/users", new { email, password = Password, isAdmin = false }));
                var user = server.Client();
                Check(await user.PostAsJsonAsync("/api/auth/login", new { email, password = Password }));
                users.Add(user);
            }
            var clock = Stopwatch.StartNew();
            var accepted = await Task.WhenAll(users.Select(user => UploadAllAsync(user, photos)));
            return accepted.Sum() / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await server.DisposeAsync();
            if (database is not null)
            {
                PostgresServer.Instance.DropDatabase(database);
            }
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<int> UploadAllAsync(HttpClient client, IReadOnlyList<string> photos)
    {
        var accepted = 0;
        foreach (var path in photos)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", Path.GetFileName(path));
            using var response = await client.PostAsync("/api/photos", form);
            if (response.IsSuccessStatusCode)
            {
                accepted++;
            }
        }
        return accepted;
    }

    private static void Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}");
        }
    }
}

/// <summary>The real binary on a free loopback port.</summary>
internal sealed class Server : IAsyncDisposable
{
    private readonly Process _process;

    private Server(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<Server> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "keepsake.dll"), "--urls", address.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.Environment["KEEPSAKE_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var server = new Server(Process.Start(start)!, address);
        server._process.OutputDataReceived += (_, _) => { };
        server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine(e.Data); } };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !server._process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync(new Uri(address, "/healthz/ready"))).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not yet.
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("keepsake did not become ready.");
    }

    /// <summary>A signed-in client keeps its cookie and sends the antiforgery token with every write.</summary>
    public HttpClient Client() =>
        new(new Antiforgery { InnerHandler = new HttpClientHandler { CookieContainer = new CookieContainer() } }) { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private sealed class Antiforgery : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Get)
            {
                using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri!, "/api/antiforgery"));
                using var tokenResponse = await base.SendAsync(tokenRequest, cancellationToken);
                using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(cancellationToken));
                request.Headers.Add(token.RootElement.GetProperty("headerName").GetString()!, token.RootElement.GetProperty("token").GetString());
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>s3rver from the test tools folder (scripts/test.sh installs it), on a free loopback port.</summary>
internal sealed class S3rver : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly string _url;
    private readonly AmazonS3Client _client;

    private S3rver(Process process, string folder, string url)
    {
        _process = process;
        _folder = folder;
        _url = url;
        _client = S3BlobStore.CreateClient(Options("unused"));
    }

    private S3StorageOptions Options(string bucket) => new()
    {
        ServiceUrl = _url,
        Bucket = bucket,
        Region = "us-east-1",
        ForcePathStyle = true,
        UseChunkEncoding = false,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
    };

    public static async Task<S3rver> StartAsync()
    {
        var tools = Environment.GetEnvironmentVariable("KEEPSAKE_TEST_TOOLS") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "keepsake-test-tools");
        var script = Path.Combine(tools, "node_modules", ".bin", "s3rver");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed at {script}; run scripts/test.sh once.");
        }
        var folder = Path.Combine(Path.GetTempPath(), "keepsake-bench-s3-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = Ports.Free();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "-d", folder, "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rver(process, folder, $"http://127.0.0.1:{port}");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await server._client.ListBucketsAsync();
                return server;
            }
            catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or HttpRequestException or Amazon.Runtime.AmazonClientException && attempt < 150)
            {
                await Task.Delay(200);
            }
        }
    }

    public async Task<Dictionary<string, string?>> BucketSettingsAsync()
    {
        var bucket = "bench-" + Guid.NewGuid().ToString("N")[..20];
        await _client.PutBucketAsync(bucket);
        var options = Options(bucket);
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "s3",
            ["Storage:S3:ServiceUrl"] = options.ServiceUrl,
            ["Storage:S3:Bucket"] = bucket,
            ["Storage:S3:Region"] = options.Region,
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:UseChunkEncoding"] = "false",
            ["Storage:S3:AccessKey"] = options.AccessKey,
            ["Storage:S3:SecretKey"] = options.SecretKey,
        };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
