using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Tests.Compatibility;

/// <summary>
/// One library (database, blob store, cache) that builds of different releases are started on in turn or side by side:
/// the embedded stack (a SQLite file and a folder) or the scale stack (a fresh database on the run's PostgreSQL, a
/// bucket of its own on the run's S3 server, the run's Redis under a key prefix of its own). The database starts empty:
/// whichever build comes first makes its schema.
/// </summary>
public sealed class LibraryStack : IDisposable
{
    private readonly string? _postgresDatabase;

    private LibraryStack(Dictionary<string, string?> settings, string? postgresDatabase)
    {
        _postgresDatabase = postgresDatabase;
        Settings = settings;
        Settings["Database:Provider"] = postgresDatabase is null ? DatabaseOptions.Sqlite : DatabaseOptions.Postgres;
        Settings["Database:ConnectionString"] = postgresDatabase ?? $"Data Source={Path.Combine(Folder.Path, "keepsake.db")}";
        Settings.TryAdd("Storage:Path", Path.Combine(Folder.Path, "data"));
        if (postgresDatabase is not null)
        {
            Settings["DataProtection:KeyEncryptionKey"] = KeepsakeApp.TestKeyEncryptionKey;
        }
        // Nothing of a server's own schedule may run in the middle of a journey; settings a release does not know it ignores.
        Settings["Backups:Schedule:Enabled"] = "false";
        Settings["Fsck:Schedule:Enabled"] = "false";
        Settings["Shutdown:DrainDelay"] = "00:00:00";
        Settings["Logging:LogLevel:Default"] = "Warning";
    }

    /// <summary>A SQLite file and a data folder, in a temporary folder of their own.</summary>
    public static LibraryStack Embedded() => new([], postgresDatabase: null);

    /// <summary>PostgreSQL, and S3 with Redis unless <paramref name="withObjectStorageAndCache"/> is false (releases before
    /// the S3 store accept only a folder: <c>Storage:Provider</c> 'filesystem').</summary>
    public static async Task<LibraryStack> ScaleAsync(bool withObjectStorageAndCache = true)
    {
        var settings = new Dictionary<string, string?>();
        if (withObjectStorageAndCache)
        {
            settings = S3Server.Shared.Settings(await S3Server.Shared.CreateBucketAsync());
            settings["Cache:Redis"] = RedisServer.Instance.Configuration;
            settings["Cache:InstanceName"] = $"compat-{Guid.NewGuid():N}:";
        }
        return new LibraryStack(settings, PostgresServer.Instance.CreateDatabase());
    }

    public TemporaryFolder Folder { get; } = new();

    public Dictionary<string, string?> Settings { get; }

    public bool OnPostgres => _postgresDatabase is not null;

    /// <summary>The migrations folder of this stack's provider (<c>Data/Migrations/Sqlite</c> or <c>Postgres</c>).</summary>
    public string Provider => OnPostgres ? "Postgres" : "Sqlite";

    /// <summary>The settings as the <c>KEEPSAKE_</c> variables of a <c>keepsake</c> process.</summary>
    public IReadOnlyDictionary<string, string?> Environment =>
        Settings.ToDictionary(s => "KEEPSAKE_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <summary>The migrations the current build (this test's) knows for this stack's provider.</summary>
    public IReadOnlyList<string> CurrentMigrations()
    {
        using var db = OpenDatabase();
        return db.Database.GetMigrations().ToList();
    }

    /// <summary>The current build's context on this stack's database, configured as the server configures it.</summary>
    public KeepsakeDbContext OpenDatabase()
    {
        var connectionString = Settings["Database:ConnectionString"]!;
        if (OnPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
            DataExtensions.ConfigurePostgres(postgres, connectionString);
            return new PostgresKeepsakeDbContext(postgres.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(sqlite, connectionString);
        return new SqliteKeepsakeDbContext(sqlite.Options);
    }

    public void Dispose()
    {
        if (_postgresDatabase is not null)
        {
            PostgresServer.Instance.DropDatabase(_postgresDatabase);
        }
        Folder.Dispose();
    }
}
