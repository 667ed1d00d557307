using Microsoft.Data.Sqlite;
using Npgsql;

namespace Keepsake.Storage;

/// <summary>What is wrong with the server's own storage: never the client's doing.</summary>
public enum StorageFaultKind
{
    /// <summary>A disk, quota or database is full (ENOSPC, EDQUOT, SQLITE_FULL, PostgreSQL 53100).</summary>
    NoSpace,

    /// <summary>A file system or database that takes no writes (EROFS, SQLITE_READONLY, PostgreSQL 25006).</summary>
    ReadOnly,

    /// <summary>The process may not write where it must (EACCES, EPERM).</summary>
    PermissionDenied,
}

/// <summary>
/// Tells a storage fault from any other failure by what the OS or the database said (errno, SQLite's result code,
/// PostgreSQL's SQLSTATE), wherever it sits in the exception's chain.
/// </summary>
public static class StorageFault
{
    private const int ENOSPC = 28;
    private const int EROFS = 30;
    private const int EDQUOT = 122;
    private const int SQLITE_READONLY = 8;
    private const int SQLITE_FULL = 13;

    public static StorageFaultKind? Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (Of(e) is { } kind)
            {
                return kind;
            }
        }
        return null;
    }

    /// <summary>A sentence for a person: what is wrong, in words an operator acts on.</summary>
    public static string Describe(StorageFaultKind kind) => kind switch
    {
        StorageFaultKind.NoSpace => "the server's disk is full",
        StorageFaultKind.ReadOnly => "the server's storage is read-only",
        _ => "the server may not write to its storage",
    };

    /// <summary>The word used in metrics and logs.</summary>
    public static string Name(StorageFaultKind kind) => kind switch
    {
        StorageFaultKind.NoSpace => "no_space",
        StorageFaultKind.ReadOnly => "read_only",
        _ => "permission_denied",
    };

    private static StorageFaultKind? Of(Exception e) => e switch
    {
        // .NET puts the raw errno in HResult for the I/O errors it has no exception type of its own for.
        IOException { HResult: ENOSPC or EDQUOT } => StorageFaultKind.NoSpace,
        IOException { HResult: EROFS } => StorageFaultKind.ReadOnly,
        UnauthorizedAccessException => StorageFaultKind.PermissionDenied,
        // The low byte is SQLite's primary result code, whether or not the extended codes are on.
        SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) == SQLITE_FULL => StorageFaultKind.NoSpace,
        SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) == SQLITE_READONLY => StorageFaultKind.ReadOnly,
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => StorageFaultKind.NoSpace,
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => StorageFaultKind.ReadOnly,
        _ => null,
    };
}
