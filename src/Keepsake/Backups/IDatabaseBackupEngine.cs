namespace Keepsake.Backups;

/// <summary>The rows a database held when it was dumped, its last applied migration, and how many erased users it still held.</summary>
public sealed record DatabaseSnapshot(string? SchemaVersion, IReadOnlyDictionary<string, long> RowCounts, int ErasedUsersHeld);

/// <summary>What a dump restored into a scratch database looked like: the integrity check's verdict and its rows.</summary>
public sealed record ScratchCheck(string Integrity, IReadOnlyDictionary<string, long> RowCounts)
{
    public bool IntegrityOk => Integrity == "ok";
}

/// <summary>Failures an operator can act on: the message says what went wrong and what to do.</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How one database engine is dumped, checked in a scratch copy, and restored.</summary>
public interface IDatabaseBackupEngine
{
    /// <summary><c>sqlite</c> or <c>postgres</c>, as in <c>Database:Provider</c>.</summary>
    string Provider { get; }

    /// <summary>The dump's file name inside the backup's folder.</summary>
    string DumpFileName { get; }

    /// <summary>
    /// Writes a consistent, compressed dump of the live database to <paramref name="file"/>; the counts, and how many of
    /// <paramref name="erasedUsers"/> it still holds, are of the same snapshot.
    /// </summary>
    Task<DatabaseSnapshot> DumpAsync(string file, IReadOnlyCollection<Guid> erasedUsers, CancellationToken cancellationToken);

    /// <summary>
    /// Restores a dump into a throwaway database and deletes <paramref name="erasedUsers"/> there (their rows go with them
    /// through the cascading keys). When it held any, writes a dump of what remains to <paramref name="target"/> and returns
    /// its snapshot; otherwise writes nothing and returns null. The throwaway database is removed either way.
    /// </summary>
    Task<DatabaseSnapshot?> ScrubAsync(string file, IReadOnlyCollection<Guid> erasedUsers, string target, CancellationToken cancellationToken);

    /// <summary>Restores a dump into a throwaway database, checks its integrity and counts its rows, then removes it.</summary>
    Task<ScratchCheck> CheckInScratchAsync(string file, CancellationToken cancellationToken);

    /// <summary>Rows per table of the live database.</summary>
    Task<IReadOnlyDictionary<string, long>> CountLiveRowsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the live database's contents with the dump's, all at once.</summary>
    Task RestoreAsync(string file, CancellationToken cancellationToken);
}
