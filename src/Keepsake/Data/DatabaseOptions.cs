using System.ComponentModel.DataAnnotations;

namespace Keepsake.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the embedded default) or <c>postgres</c>.</summary>
    [Required]
    [AllowedValues(Sqlite, Postgres)]
    public string Provider { get; set; } = Sqlite;

    /// <summary>A SQLite connection string for <c>sqlite</c>, an Npgsql one for <c>postgres</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/keepsake.db";

    /// <summary>
    /// What to do when the SQLite file is on a network file system (NFS, SMB, …), where the write-ahead log can
    /// corrupt it: <c>refuse</c> to start (the default), or use the <c>rollback-journal</c>.
    /// </summary>
    [AllowedValues(SqliteJournal.Refuse, SqliteJournal.RollbackJournal)]
    public string OnNetworkFileSystem { get; set; } = SqliteJournal.Refuse;

    public bool IsSqlite => Provider == Sqlite;

    /// <summary>The full path of the SQLite database file; null for PostgreSQL or an in-memory database.</summary>
    public string? SqliteFile =>
        IsSqlite && new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource is { Length: > 0 } file and not ":memory:"
            ? Path.GetFullPath(file)
            : null;
}
