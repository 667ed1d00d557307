using System.Net.Http.Headers;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A Keepsake server on the embedded default (a real SQLite file and a real data folder, both in a
/// temporary folder of its own), with intent methods that act the way a user of the API does.
/// With <c>KEEPSAKE_TEST_DATABASE=postgres</c> every app gets a fresh database on the test run's
/// <see cref="PostgresServer"/> instead, migrated before the app starts (as a deploy would).
/// </summary>
public sealed class KeepsakeApp : WebApplicationFactory<Program>
{
    public const string DefaultPassword = "correct horse battery";

    private readonly Dictionary<string, string?> _settings;

    private readonly string? _postgresDatabase;

    public KeepsakeApp(IDictionary<string, string?>? settings = null)
    {
        Folder = new TemporaryFolder();
        if (OnPostgres)
        {
            _postgresDatabase = PostgresServer.Instance.CreateDatabase();
            var options = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
            DataExtensions.ConfigurePostgres(options, _postgresDatabase);
            using var db = new PostgresKeepsakeDbContext(options.Options);
            db.Database.Migrate();
        }
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = OnPostgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite,
            ["Database:ConnectionString"] = _postgresDatabase ?? $"Data Source={DatabasePath}",
            ["Storage:Path"] = DataPath,
            // Failures are asserted through HTTP; a log line per request would only bury them.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>Whether this test run puts every app on PostgreSQL (<c>KEEPSAKE_TEST_DATABASE=postgres</c>).</summary>
    public static bool OnPostgres { get; } =
        string.Equals(System.Environment.GetEnvironmentVariable("KEEPSAKE_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase);

    public TemporaryFolder Folder { get; }

    public string DataPath => Path.Combine(Folder.Path, "data");

    /// <summary>The SQLite file (on SQLite runs only).</summary>
    public string DatabasePath => Path.Combine(Folder.Path, "keepsake.db");

    /// <summary>The settings the server runs with, as environment variables for a <c>keepsake</c> process on the same data.</summary>
    public IReadOnlyDictionary<string, string?> Environment =>
        _settings.ToDictionary(s => "KEEPSAKE_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <summary>Every blob in the data folder (originals, thumbnails, previews), relative to it.</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Folder.Files("data").Select(f => f["data/".Length..]).ToList();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
    }

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

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, params string[] paths)
    {
        using var form = new MultipartFormDataContent();
        foreach (var path in paths)
        {
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", Path.GetFileName(path));
        }
        return await client.PostAsync("/api/photos", form);
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
