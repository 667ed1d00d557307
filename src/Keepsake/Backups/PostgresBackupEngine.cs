using System.Data;
using System.Globalization;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Keepsake.Backups;

/// <summary>
/// PostgreSQL through <c>pg_dump --format=custom</c> (compressed by pg_dump itself). The dump runs on a
/// snapshot exported from a repeatable-read transaction that also counts the rows, so the manifest's
/// counts are exactly the dump's. Scratch checks restore into a temporary database on the same server.
/// </summary>
internal sealed class PostgresBackupEngine(IOptions<DatabaseOptions> database, IOptions<BackupsOptions> backups) : IDatabaseBackupEngine
{
    public string Provider => DatabaseOptions.Postgres;

    public string DumpFileName => "database.pgdump";

    private NpgsqlConnectionStringBuilder Live => new(database.Value.ConnectionString);

    public async Task<DatabaseSnapshot> DumpAsync(string file, IReadOnlyCollection<Guid> erasedUsers, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Live.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var pgDump = await PostgresTools.FindAsync("pg_dump", ServerMajor(connection), backups.Value.PostgresToolsPath, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshotName = (string)(await ScalarAsync(connection, "SELECT pg_export_snapshot();", cancellationToken))!;
        int held;
        await using (var db = Context(connection))
        {
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            held = erasedUsers.Count == 0 ? 0 : await db.Users.CountAsync(u => erasedUsers.Contains(u.Id), cancellationToken);
        }
        var snapshot = new DatabaseSnapshot(await SchemaVersionAsync(connection, cancellationToken), await CountRowsAsync(connection, fullRead: false, cancellationToken), held);
        CreatePrivateFile(file);
        await RunAsync(pgDump, ["--format=custom", "--snapshot=" + snapshotName, "--file=" + file], Live, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return snapshot;
    }

    public Task<ScratchCheck> CheckInScratchAsync(string file, CancellationToken cancellationToken) =>
        InScratchAsync(file, VerifyPrefix,
            async scratch =>
            {
                try
                {
                    await using var connection = new NpgsqlConnection(scratch.ConnectionString);
                    await connection.OpenAsync(cancellationToken);
                    // PostgreSQL has no integrity_check: reading every row of every table touches every heap page.
                    return new ScratchCheck("ok", await CountRowsAsync(connection, fullRead: true, cancellationToken));
                }
                catch (PostgresException e)
                {
                    return new ScratchCheck("reading the restored database failed: " + e.MessageText, new Dictionary<string, long>());
                }
            },
            restoreFailed => new ScratchCheck("pg_restore failed: " + restoreFailed, new Dictionary<string, long>()),
            cancellationToken);

    public Task<DatabaseSnapshot?> ScrubAsync(string file, IReadOnlyCollection<Guid> erasedUsers, string target, CancellationToken cancellationToken) =>
        InScratchAsync(file, ScrubPrefix,
            async scratch =>
            {
                await using var connection = new NpgsqlConnection(scratch.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                int erased;
                await using (var db = Context(connection))
                {
                    await PhotoCopyErasure.ScrubAsync(db, erasedUsers, cancellationToken);
                    erased = await db.Users.Where(u => erasedUsers.Contains(u.Id)).ExecuteDeleteAsync(cancellationToken);
                }
                if (erased == 0)
                {
                    return null;
                }
                // Nothing else writes to the scratch database: its dump and these counts see the same rows.
                var snapshot = new DatabaseSnapshot(await SchemaVersionAsync(connection, cancellationToken), await CountRowsAsync(connection, fullRead: false, cancellationToken), 0);
                var pgDump = await PostgresTools.FindAsync("pg_dump", ServerMajor(connection), backups.Value.PostgresToolsPath, cancellationToken);
                CreatePrivateFile(target);
                await RunAsync(pgDump, ["--format=custom", "--file=" + target], scratch, cancellationToken);
                return (DatabaseSnapshot?)snapshot;
            },
            restoreFailed => throw new BackupException("pg_restore failed: " + restoreFailed),
            cancellationToken);

    /// <summary>The names of the scratch databases of a verification and of a scrub start so.</summary>
    private const string VerifyPrefix = "keepsake_verify_";

    private const string ScrubPrefix = "keepsake_scrub_";

    /// <summary>
    /// Restores a dump into a new database on the same server, runs <paramref name="restored"/> on it, then drops it. The
    /// scratch database is a full copy (e-mails, password hashes): this session holds an advisory lock named after it for
    /// as long as it lives, which PostgreSQL releases with the session when the process dies however it dies, so the next
    /// verification or scrub drops what a killed one left (see <see cref="DropAbandonedScratchAsync"/>).
    /// </summary>
    private async Task<T> InScratchAsync<T>(
        string file, string namePrefix, Func<NpgsqlConnectionStringBuilder, Task<T>> restored, Func<string, T> restoreFailed, CancellationToken cancellationToken)
    {
        var live = Live;
        var scratchName = namePrefix + Guid.NewGuid().ToString("N");
        var scratch = new NpgsqlConnectionStringBuilder(live.ConnectionString) { Database = scratchName, Pooling = false };
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(live.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync(cancellationToken);
        var pgRestore = await PostgresTools.FindAsync("pg_restore", ServerMajor(admin), backups.Value.PostgresToolsPath, cancellationToken);
        await DropAbandonedScratchAsync(admin, cancellationToken);
        // Taken before the database exists, and released with this (unpooled) session.
        await ScalarAsync(admin, "SELECT pg_advisory_lock(hashtext(@name));", cancellationToken, scratchName);
        await ScalarAsync(admin, $"CREATE DATABASE {Quote(scratchName)};", cancellationToken);
        try
        {
            var restore = await ExternalProcess.RunAsync(pgRestore, ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname=" + scratchName, file], Environment(scratch), cancellationToken);
            return restore.ExitCode != 0 ? restoreFailed(restore.Error.Trim()) : await restored(scratch);
        }
        finally
        {
            await ScalarAsync(admin, $"DROP DATABASE IF EXISTS {Quote(scratchName)} WITH (FORCE);", CancellationToken.None);
        }
    }

    /// <summary>Drops every scratch database whose advisory lock nobody holds: its run died (SIGKILL, a lost node) before it could.</summary>
    private static async Task DropAbandonedScratchAsync(NpgsqlConnection admin, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, @verify) OR starts_with(datname, @scrub);", admin))
        {
            command.Parameters.AddWithValue("verify", VerifyPrefix);
            command.Parameters.AddWithValue("scrub", ScrubPrefix);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }
        foreach (var name in names)
        {
            if (await ScalarAsync(admin, "SELECT pg_try_advisory_lock(hashtext(@name));", cancellationToken, name) is true)
            {
                // WITH (FORCE) also ends the pg_restore a killed run left behind.
                await ScalarAsync(admin, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE);", cancellationToken);
                await ScalarAsync(admin, "SELECT pg_advisory_unlock(hashtext(@name));", cancellationToken, name);
            }
        }
    }

    /// <summary>The model on an open connection of this engine.</summary>
    private static PostgresKeepsakeDbContext Context(NpgsqlConnection connection) =>
        new(new DbContextOptionsBuilder<PostgresKeepsakeDbContext>().UseNpgsql(connection, npgsql => npgsql.MigrationsHistoryTable("__migrations")).Options);

    public async Task<IReadOnlyDictionary<string, long>> CountLiveRowsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Live.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await CountRowsAsync(connection, fullRead: false, cancellationToken);
    }

    /// <summary>Empties the live schema (see <see cref="PostgresSchemaReset"/>), then restores in one transaction.</summary>
    public async Task RestoreAsync(string file, CancellationToken cancellationToken)
    {
        var live = Live;
        await using (var connection = new NpgsqlConnection(live.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            var pgRestore = await PostgresTools.FindAsync("pg_restore", ServerMajor(connection), backups.Value.PostgresToolsPath, cancellationToken);
            await PostgresSchemaReset.DropAllAsync(connection, cancellationToken);
            await RunAsync(pgRestore, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=" + live.Database, file], live, cancellationToken);
        }
        NpgsqlConnection.ClearAllPools();
    }

    private static int ServerMajor(NpgsqlConnection connection) => connection.PostgreSqlVersion.Major;

    /// <summary>An empty 0600 file for pg_dump to write into: it keeps the mode of a file that exists, and would make one with the umask's.</summary>
    private static void CreatePrivateFile(string path)
    {
        using (new FileStream(path, PrivateFiles.NewFile(bufferSize: 0)))
        {
        }
    }

    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments, NpgsqlConnectionStringBuilder connection, CancellationToken cancellationToken)
    {
        var result = await ExternalProcess.RunAsync(tool, arguments, Environment(connection), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new BackupException($"{Path.GetFileName(tool)} failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}): {result.Error.Trim()}");
        }
    }

    /// <summary>The connection as libpq's environment variables, so the password never shows in a process list.</summary>
    private static Dictionary<string, string> Environment(NpgsqlConnectionStringBuilder connection)
    {
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = connection.Host ?? "localhost",
            ["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture),
            ["PGDATABASE"] = connection.Database ?? "postgres",
        };
        if (!string.IsNullOrEmpty(connection.Username))
        {
            environment["PGUSER"] = connection.Username;
        }
        if (!string.IsNullOrEmpty(connection.Password))
        {
            environment["PGPASSWORD"] = connection.Password;
        }
        if (connection.SslMode != Npgsql.SslMode.Prefer)
        {
            environment["PGSSLMODE"] = connection.SslMode.ToString().ToLowerInvariant() switch
            {
                "verifyca" => "verify-ca",
                "verifyfull" => "verify-full",
                var mode => mode,
            };
        }
        return environment;
    }

    /// <summary>Runs <paramref name="sql"/>; <paramref name="name"/>, when given, is its <c>@name</c> parameter.</summary>
    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, string? name = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Quote(string table) => "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<List<string>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename;", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    private static async Task<string?> SchemaVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!(await TablesAsync(connection, cancellationToken)).Contains("__migrations"))
        {
            return null;
        }
        return await ScalarAsync(connection, "SELECT \"MigrationId\" FROM \"__migrations\" ORDER BY \"MigrationId\" DESC LIMIT 1;", cancellationToken) as string;
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(NpgsqlConnection connection, bool fullRead, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(connection, cancellationToken))
        {
            if (!fullRead)
            {
                counts[table] = (long)(await ScalarAsync(connection, $"SELECT COUNT(*) FROM {Quote(table)};", cancellationToken))!;
                continue;
            }
            long rows = 0;
            await using var command = new NpgsqlCommand($"SELECT * FROM {Quote(table)};", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync(cancellationToken))
            {
                reader.GetValues(values);
                rows++;
            }
            counts[table] = rows;
        }
        return counts;
    }
}
