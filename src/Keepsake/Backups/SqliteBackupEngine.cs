using System.IO.Compression;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups;

/// <summary>
/// SQLite through its online backup API: a page-by-page copy under a read transaction, so writers keep
/// going and the copy is one consistent moment. The copy is gzip-compressed. A restore copies the other
/// way into the live file, which SQLite does in one write transaction: a running server sees the old
/// database or the new one, never a mix. Every dump is vacuumed before it is compressed: SQLite leaves the
/// bytes of deleted rows (an erased user's) in free pages, and the page copy would carry them along. The copies in
/// the scratch folder are 0600, like the folder's other files: they hold e-mail addresses and password hashes.
/// </summary>
internal sealed class SqliteBackupEngine(IOptions<DatabaseOptions> database) : IDatabaseBackupEngine
{
    public string Provider => DatabaseOptions.Sqlite;

    public string DumpFileName => "database.sqlite.gz";

    private string LiveConnectionString
    {
        get
        {
            var builder = new SqliteConnectionStringBuilder(database.Value.ConnectionString);
            builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
            return builder.ConnectionString;
        }
    }

    public Task<DatabaseSnapshot> DumpAsync(string file, IReadOnlyCollection<Guid> erasedUsers, CancellationToken cancellationToken) =>
        InScratchFolderAsync(file, () => DumpToAsync(file, erasedUsers, cancellationToken));

    private async Task<DatabaseSnapshot> DumpToAsync(string file, IReadOnlyCollection<Guid> erasedUsers, CancellationToken cancellationToken)
    {
        var copy = file + ".db";
        try
        {
            await using (var live = new SqliteConnection(LiveConnectionString))
            await using (var target = OpenNewFile(copy))
            {
                await live.OpenAsync(cancellationToken);
                await target.OpenAsync(cancellationToken);
                live.BackupDatabase(target);
                // The copy stands alone: no -wal file to carry along.
                await ExecuteAsync(target, "PRAGMA journal_mode=DELETE;", cancellationToken);
            }
            var held = await CountUsersAsync(copy, erasedUsers, cancellationToken);
            return await VacuumAndCompressAsync(copy, file, held, cancellationToken);
        }
        finally
        {
            DeleteDatabaseFiles(copy);
        }
    }

    public Task<DatabaseSnapshot?> ScrubAsync(string file, IReadOnlyCollection<Guid> erasedUsers, string target, CancellationToken cancellationToken) =>
        InScratchFolderAsync(file, () => ScrubToAsync(file, erasedUsers, target, cancellationToken));

    private static async Task<DatabaseSnapshot?> ScrubToAsync(string file, IReadOnlyCollection<Guid> erasedUsers, string target, CancellationToken cancellationToken)
    {
        var scratch = await DecompressAsync(file, cancellationToken);
        try
        {
            int erased;
            await using (var db = Context(scratch))
            {
                await PhotoCopyErasure.ScrubAsync(db, erasedUsers, cancellationToken);
                erased = await db.Users.Where(u => erasedUsers.Contains(u.Id)).ExecuteDeleteAsync(cancellationToken);
            }
            return erased == 0 ? null : await VacuumAndCompressAsync(scratch, target, erasedUsersHeld: 0, cancellationToken);
        }
        finally
        {
            DeleteDatabaseFiles(scratch);
        }
    }

    private static async Task<int> CountUsersAsync(string path, IReadOnlyCollection<Guid> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return 0;
        }
        await using var db = Context(path);
        return await db.Users.CountAsync(u => users.Contains(u.Id), cancellationToken);
    }

    /// <summary>The model on a private file of this process, with the cascading keys on.</summary>
    private static SqliteKeepsakeDbContext Context(string path)
    {
        var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(options, new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        return new SqliteKeepsakeDbContext(options.Options);
    }

    /// <summary>Rebuilds <paramref name="path"/> so no free page keeps a deleted row, counts it, and gzips it to <paramref name="file"/>.</summary>
    private static async Task<DatabaseSnapshot> VacuumAndCompressAsync(string path, string file, int erasedUsersHeld, CancellationToken cancellationToken)
    {
        DatabaseSnapshot snapshot;
        await using (var connection = OpenFile(path))
        {
            await connection.OpenAsync(cancellationToken);
            await MergeFullTextIndexesAsync(connection, cancellationToken);
            await ExecuteAsync(connection, "VACUUM;", cancellationToken);
            snapshot = new DatabaseSnapshot(await SchemaVersionAsync(connection, cancellationToken), await CountRowsAsync(connection, cancellationToken), erasedUsersHeld);
        }
        await using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var output = new FileStream(file, PrivateFiles.NewFile()))
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            await input.CopyToAsync(gzip, cancellationToken);
        }
        return snapshot;
    }

    public Task<ScratchCheck> CheckInScratchAsync(string file, CancellationToken cancellationToken) =>
        InScratchFolderAsync(file, () => CheckCopyAsync(file, cancellationToken));

    private static async Task<ScratchCheck> CheckCopyAsync(string file, CancellationToken cancellationToken)
    {
        var scratch = await DecompressAsync(file, cancellationToken);
        try
        {
            await using var connection = OpenFile(scratch);
            await connection.OpenAsync(cancellationToken);
            var problems = new List<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA integrity_check;";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    problems.Add(reader.GetString(0));
                }
            }
            var integrity = problems is ["ok"] ? "ok" : string.Join("; ", problems);
            return new ScratchCheck(integrity, await CountRowsAsync(connection, cancellationToken));
        }
        // A full or read-only scratch disk says nothing about the backup: it is not recorded as a failed verification.
        catch (SqliteException e) when (StorageFault.Classify(e) is null)
        {
            return new ScratchCheck("not a readable SQLite database: " + e.Message, new Dictionary<string, long>());
        }
        finally
        {
            DeleteDatabaseFiles(scratch);
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> CountLiveRowsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(LiveConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await CountRowsAsync(connection, cancellationToken);
    }

    public async Task RestoreAsync(string file, CancellationToken cancellationToken)
    {
        var restored = await InScratchFolderAsync(file, () => DecompressAsync(file, cancellationToken));
        try
        {
            await using var source = OpenFile(restored);
            await using var live = new SqliteConnection(LiveConnectionString);
            await source.OpenAsync(cancellationToken);
            await live.OpenAsync(cancellationToken);
            source.BackupDatabase(live);
        }
        finally
        {
            DeleteDatabaseFiles(restored);
            // Pooled connections of this process would otherwise keep pages of the replaced database.
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<string> DecompressAsync(string file, CancellationToken cancellationToken)
    {
        var target = file + ".db";
        try
        {
            await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var gzip = new GZipStream(input, CompressionMode.Decompress);
            await using var output = new FileStream(target, PrivateFiles.NewFile());
            await gzip.CopyToAsync(output, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            DeleteDatabaseFiles(target);
            throw new BackupException("The backup is not a valid gzip-compressed SQLite database: " + e.Message, e);
        }
        return target;
    }

    /// <summary>A private file of this process: not pooled, so it can be deleted as soon as it is closed.</summary>
    private static SqliteConnection OpenFile(string path) =>
        new(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);

    /// <summary>A new database in an empty 0600 file: SQLite would create it with the umask's mode, and gives its journal the database's.</summary>
    private static SqliteConnection OpenNewFile(string path)
    {
        using (new FileStream(path, PrivateFiles.NewFile(bufferSize: 0)))
        {
        }
        return OpenFile(path);
    }

    /// <summary>
    /// Runs work on copies in the scratch folder of <paramref name="file"/>. A storage fault there (the temporary folder's disk full or
    /// read-only) is told as such, naming the folder: SQLite's own "database or disk is full" would seem to be about the live database.
    /// </summary>
    private static async Task<T> InScratchFolderAsync<T>(string file, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (StorageFault.Classify(e) is { } fault)
        {
            var folder = Path.GetDirectoryName(Path.GetDirectoryName(file));
            throw new BackupException(fault == StorageFaultKind.NoSpace
                ? $"There is no room left in {folder} to stage the backup ({e.Message}). Free some space there, or set Backups:TemporaryPath to a folder with room."
                : $"The backup cannot be staged in {folder} ({e.Message}). Set Backups:TemporaryPath to a folder Keepsake may write to.", e);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rewrites each FTS5 index (search) as one segment: a deleted row's words stay in older segments until merged.</summary>
    private static async Task MergeFullTextIndexesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // One statement per FTS5 table, made by SQLite from the schema: INSERT INTO "t" ("t") VALUES ('optimize');
        command.CommandText = "SELECT group_concat(printf('INSERT INTO \"%w\" (\"%w\") VALUES (''optimize'');', name, name), ' ') FROM sqlite_master"
            + " WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%';";
        if (await command.ExecuteScalarAsync(cancellationToken) is string statements)
        {
            await ExecuteAsync(connection, statements, cancellationToken);
        }
    }

    private static async Task<string?> SchemaVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__migrations';";
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            return null;
        }
        command.CommandText = "SELECT MigrationId FROM __migrations ORDER BY MigrationId DESC LIMIT 1;";
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            // Tables that store rows: a virtual table (the search index's FTS5) and its shadow tables are derived from them,
            // and hold bookkeeping rows even when empty.
            command.CommandText = "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\";";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }

    private static void DeleteDatabaseFiles(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }
}
