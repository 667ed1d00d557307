using System.Net.Http.Headers;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A Keepsake server on the embedded default (a real SQLite file and a real data folder, both in a
/// temporary folder of its own), with intent methods that act the way a user of the API does.
/// With <c>KEEPSAKE_TEST_STACK=scale</c> every app runs on the scale stack instead: a fresh database on
/// the test run's <see cref="PostgresServer"/>, migrated before the app starts (as a deploy would), a
/// fresh bucket on the run's <see cref="S3Server"/>, and the run's <see cref="RedisServer"/> under a key
/// prefix of its own. Settings a test passes for a section (<c>Database</c>, <c>Storage</c>, <c>Cache</c>)
/// replace that section of the stack.
/// </summary>
public sealed class KeepsakeApp : WebApplicationFactory<Program>
{
    public const string DefaultPassword = "correct horse battery";

    private readonly Dictionary<string, string?> _settings;

    private readonly string? _postgresDatabase;

    /// <param name="settings">Settings over the stack's defaults.</param>
    /// <param name="premigrated">
    /// Whether an app on the embedded default starts on a copy of a database the migrations made once for the run, as a
    /// scale-stack app does: false for a test of what a server does with a folder that holds no database yet.
    /// </param>
    public KeepsakeApp(IDictionary<string, string?>? settings = null, bool premigrated = true)
    {
        Folder = new TemporaryFolder();
        settings ??= new Dictionary<string, string?>();
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = DatabaseOptions.Sqlite,
            ["Database:ConnectionString"] = $"Data Source={DatabasePath}",
            ["Storage:Path"] = DataPath,
            // Failures are asserted through HTTP; a log line per request would only bury them.
            ["Logging:LogLevel:Default"] = "Warning",
            // A server process started on these settings must not take the default 9464 that others may hold.
            ["Management:Port"] = LoopbackPorts.Unused().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A test that moves a fake clock by hours must not set off the server's own backups.
            ["Backups:Schedule:Enabled"] = "false",
            // Nor its own fsck, which would repair what a test has just broken on purpose.
            ["Fsck:Schedule:Enabled"] = "false",
            // No load balancer routes to a test server: waiting to be taken out of rotation would only add
            // seconds to every test's end. The tests of the drain set it.
            ["Shutdown:DrainDelay"] = "00:00:00",
        };
        if (OnScaleStack)
        {
            if (!Sets(settings, "Database"))
            {
                _postgresDatabase = MigratedDatabases.CreatePostgresDatabase();
                _settings["Database:Provider"] = DatabaseOptions.Postgres;
                _settings["Database:ConnectionString"] = _postgresDatabase;
            }
            if (!Sets(settings, "Storage"))
            {
                foreach (var (key, value) in S3Server.Shared.Settings(Task.Run(S3Server.Shared.CreateBucketAsync).GetAwaiter().GetResult()))
                {
                    _settings[key] = value;
                }
            }
            if (!Sets(settings, "Cache"))
            {
                _settings["Cache:Redis"] = RedisServer.Instance.Configuration;
                _settings["Cache:InstanceName"] = $"test-{Guid.NewGuid():N}:";
            }
        }
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
        if (_settings["Database:Provider"] == DatabaseOptions.Postgres)
        {
            _settings.TryAdd("DataProtection:KeyEncryptionKey", TestKeyEncryptionKey);
        }
        else if (premigrated && _settings["Database:ConnectionString"] == $"Data Source={DatabasePath}")
        {
            File.Copy(MigratedDatabases.SqliteTemplate, DatabasePath);
        }
    }

    /// <summary>The key-encryption key every PostgreSQL deployment is given from a secret (the embedded default makes its own file).</summary>
    public const string TestKeyEncryptionKey = "a2VlcHNha2UgdGVzdCBrZXkgZW5jcnlwdGlvbiBrZXk=";

    /// <summary>The trait of tests that use the scale stack's servers whatever the run (replicas cannot share SQLite;
    /// an outage drill needs a PostgreSQL to stop). They pass on any run; scripts/test.sh runs them once, in the
    /// scale-stack run, instead of twice alike (its embedded run filters <c>Servers!=scale-stack-always</c>).</summary>
    public const string Servers = "Servers";

    public const string ScaleStackAlways = "scale-stack-always";

    /// <summary>The trait of tests that pin the embedded stack whatever the run (a local disk to fill or make read-only):
    /// scripts/test.sh runs them once, in the embedded run (its scale run filters <c>Servers!=embedded-stack-always</c>).</summary>
    public const string EmbeddedStackAlways = "embedded-stack-always";

    /// <summary>The trait of tests that start no server of either stack (rule files checked by their tools, a bare SQLite
    /// file): on the scale stack they would only run again alike, so scripts/test.sh runs them once, in the embedded run,
    /// as it does the unit tests (its scale run filters <c>Servers!=none&amp;Category!=unit</c>).</summary>
    public const string NoServers = "none";

    /// <summary>Whether this test run puts every app on the scale stack (<c>KEEPSAKE_TEST_STACK=scale</c>).</summary>
    public static bool OnScaleStack { get; } =
        string.Equals(System.Environment.GetEnvironmentVariable("KEEPSAKE_TEST_STACK"), "scale", StringComparison.OrdinalIgnoreCase);

    private static bool Sets(IDictionary<string, string?> settings, string section) =>
        settings.Keys.Any(k => k.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase));

    public TemporaryFolder Folder { get; }

    public string DataPath => Path.Combine(Folder.Path, "data");

    /// <summary>The SQLite file (on SQLite runs only).</summary>
    public string DatabasePath => Path.Combine(Folder.Path, "keepsake.db");

    /// <summary>The settings the server runs with, as environment variables for a <c>keepsake</c> process on the same data.</summary>
    public IReadOnlyDictionary<string, string?> Environment =>
        _settings.ToDictionary(s => "KEEPSAKE_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    private bool OnS3 => string.Equals(_settings.GetValueOrDefault("Storage:Provider"), "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every blob (originals, thumbnails, previews) by key: the data folder's files, or the bucket's objects on S3.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        OnS3
            ? Task.Run(async () => await Services.GetRequiredService<IBlobStore>().ListAsync("", CancellationToken.None).Select(b => b.Key).Order(StringComparer.Ordinal).ToListAsync())
                .GetAwaiter().GetResult()
            : Folder.Files("data").Select(f => f["data/".Length..]).ToList();

    /// <summary>
    /// The blobs of <paramref name="user"/>'s photos and those of no user (what an upload might leave beside them): every
    /// blob but the files of other users' photos, for a test that shares the app with other users.
    /// </summary>
    public async Task<IReadOnlyList<string>> StoredFilesOfAsync(HttpClient user)
    {
        var me = await (await user.GetAsync("/api/auth/me")).ReadAsync<UserDto>();
        return StoredFiles()
            .Where(key => PhotoBlobs.Prefixes.FirstOrDefault(prefix => key.StartsWith(prefix, StringComparison.Ordinal)) is not { } prefix
                || key.StartsWith($"{prefix}{me.Id:N}/", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>This app's storage settings, for a second app on the same blob store (a restore on a new machine).</summary>
    public IDictionary<string, string?> StorageSettings =>
        _settings.Where(s => s.Key.StartsWith("Storage:", StringComparison.Ordinal)).ToDictionary();

    /// <summary>The ids of the backups in the blob store (the folders under <c>backups/</c> that hold something).</summary>
    public IReadOnlyList<string> StoredBackups() =>
        StoredFiles().Where(k => k.StartsWith("backups/", StringComparison.Ordinal)).Select(k => k.Split('/')[1]).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Reads a blob straight from the store.</summary>
    public async Task<byte[]> ReadStoredFileAsync(string key)
    {
        await using var stream = await Services.GetRequiredService<IBlobStore>().OpenReadAsync(key, CancellationToken.None)
            ?? throw new FileNotFoundException($"no blob {key}");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Puts a blob straight into the store, behind Keepsake's back (what a crash or an operator leaves).</summary>
    public async Task WriteStoredFileAsync(string key, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await Services.GetRequiredService<IBlobStore>().WriteAsync(key, stream, CancellationToken.None);
    }

    /// <summary>Sets the time the store reports as a blob's last modification, to stage when it was written.</summary>
    public void SetStoredFileTime(string key, DateTimeOffset time)
    {
        if (OnS3)
        {
            S3Server.Shared.SetLastModified(_settings["Storage:S3:Bucket"]!, key, time);
        }
        else
        {
            File.SetLastWriteTimeUtc(Path.Combine(DataPath, key), time.UtcDateTime);
        }
    }

    /// <summary>Removes a blob straight from the store, behind Keepsake's back.</summary>
    public Task DeleteStoredFileAsync(string key) =>
        Services.GetRequiredService<IBlobStore>().DeleteAsync(key, CancellationToken.None);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        // A password hash costs 100,000 PBKDF2 rounds by design, the largest share of the suites' CPU time. The
        // tests sign in thousands of times and prove what a password admits, not how slow it is to guess; the
        // stored format records its rounds, so a hash made at full strength (the CLI's, a server process's) still
        // verifies here. UserCommandTests proves that a real server stores full-strength hashes.
        if (!FullStrengthPasswordHashing)
        {
            builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000));
        }
    }

    /// <summary>Hashes passwords with the server's own 100,000 rounds, for a test about what the hash's cost hides (login timing).</summary>
    public bool FullStrengthPasswordHashing { get; init; }

    /// <summary>A browser-like client: keeps cookies and sends the antiforgery header on every write.</summary>
    public HttpClient CreateUserClient() => this.CreateBrowserClient();

    /// <summary>Runs first-run setup and returns the owner's signed-in client.</summary>
    public Task<HttpClient> CreateOwnerAsync(string email = "owner@example.com") => this.SetUpOwnerAsync(email);

    /// <summary>Has the admin create a user, then signs that user in on a client of their own.</summary>
    public async Task<HttpClient> CreateUserAsync(HttpClient admin, string email, bool isAdmin = false)
    {
        var created = await admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, DefaultPassword, isAdmin));
        await created.EnsureSuccessAsync();
        return await LoginAsync(email);
    }

    public async Task<HttpClient> LoginAsync(string email, string password = DefaultPassword)
    {
        var client = CreateUserClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, password));
        await response.EnsureSuccessAsync();
        return client;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, params string[] paths) =>
        await UploadAsync(client, await Task.WhenAll(paths.Select(async path => (Path.GetFileName(path), await File.ReadAllBytesAsync(path)))));

    /// <summary>Uploads files given by name and content, as one multipart form.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, IEnumerable<(string Name, byte[] Content)> files, CancellationToken cancellationToken = default)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", name);
        }
        return await client.PostAsync("/api/photos", form, cancellationToken);
    }

    /// <summary>Uploads one photo that must be accepted and returns it.</summary>
    public static async Task<PhotoDetailsDto> UploadPhotoAsync(HttpClient client, string path)
    {
        var response = await UploadAsync(client, path);
        await response.EnsureSuccessAsync();
        var body = await response.Content.ReadFromJsonAsync<UploadResponseDto>();
        return body!.Photos.Single().Photo;
    }


    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Folder.Dispose();
            if (_postgresDatabase is not null)
            {
                PostgresServer.Instance.DropDatabase(_postgresDatabase);
            }
        }
    }
}
