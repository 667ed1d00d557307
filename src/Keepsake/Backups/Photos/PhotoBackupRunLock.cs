using Keepsake.Data;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Backups.Photos;

/// <summary>
/// One <c>keepsake backup photos</c> at a time against one database, whoever starts it (a person, a CronJob, the server's
/// timer): two at once would copy the same files and race on their rows. The lock is one the operating system or the
/// database drops with its holder, so a run killed part-way never leaves one behind: on PostgreSQL a session-level
/// advisory lock (gone with the connection), on SQLite an exclusive <c>flock</c> on a file beside the database (gone
/// with the process; the file itself stays and means nothing).
/// </summary>
internal static class PhotoBackupRunLock
{
    /// <summary>Any fixed number other than the migration lock's: the advisory lock every photo backup run takes.</summary>
    internal const long PostgresKey = 0x4B65_6570_5068_6F74;

    /// <summary>The lock file beside a SQLite database <c>keepsake.db</c>.</summary>
    public static string FileFor(string sqliteFile) => sqliteFile + ".photo-backup.lock";

    /// <summary>Takes the lock, or returns null at once when another run holds it.</summary>
    public static async Task<IAsyncDisposable?> TryTakeAsync(KeepsakeDbContext db, DatabaseOptions database, CancellationToken cancellationToken)
    {
        if (db is PostgresKeepsakeDbContext)
        {
            return await TryTakeAdvisoryLockAsync(db, cancellationToken);
        }
        // An in-memory database lives and dies with one process: nothing else can run against it.
        return database.SqliteFile is { } file ? TryTakeFileLock(FileFor(file)) : NoLock.Instance;
    }

    private static async Task<IAsyncDisposable?> TryTakeAdvisoryLockAsync(KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({PostgresKey}) AS \"Value\"").AsAsyncEnumerable().FirstAsync(cancellationToken);
            if (taken)
            {
                return new AdvisoryLock(db);
            }
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        await db.Database.CloseConnectionAsync();
        return null;
    }

    private static FileStream? TryTakeFileLock(string path)
    {
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix: a second holder, in this process or another, is refused.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path) && IsLockedByAnother(e))
        {
            return null;
        }
    }

    /// <summary>flock(2) refused with EWOULDBLOCK (11 on Linux), whose errno .NET passes on as the exception's HResult.</summary>
    private static bool IsLockedByAnother(IOException e) => e.HResult == 11;

    private sealed class AdvisoryLock(KeepsakeDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PostgresKey})", CancellationToken.None);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Thrown when another <c>keepsake backup photos</c> is running; this one did nothing.</summary>
public sealed class PhotoBackupAlreadyRunningException() : Exception(
    "Another photo backup is running (a person's 'keepsake backup photos', a CronJob or the server's timer); this run copied nothing. It will be done by that run, or try again once it ends.");
