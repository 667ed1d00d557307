namespace Keepsake.Data;

/// <summary>
/// The journal mode of the embedded SQLite file. The write-ahead log keeps readers from waiting for writers,
/// but it needs shared memory between the processes that open the file, which a network file system does
/// not provide: there a database can be corrupted without any error. So a database on one is refused, unless
/// <c>Database:OnNetworkFileSystem</c> accepts the slower rollback journal.
/// </summary>
public static class SqliteJournal
{
    public const string Refuse = "refuse";

    public const string RollbackJournal = "rollback-journal";

    /// <summary>File system types (as the kernel names them) whose locking and shared memory SQLite cannot trust.</summary>
    private static readonly HashSet<string> NetworkFileSystems =
        new(["nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre", "fuse.sshfs"], StringComparer.OrdinalIgnoreCase);

    public static bool IsNetworkFileSystem(string fileSystemType) => NetworkFileSystems.Contains(fileSystemType);

    /// <summary>The journal mode for this file system, or why the database must not be opened there.</summary>
    public static (string? Mode, string? Problem) Choose(string folder, string fileSystemType, string onNetworkFileSystem)
    {
        if (!IsNetworkFileSystem(fileSystemType))
        {
            return ("WAL", null);
        }
        return onNetworkFileSystem == RollbackJournal
            ? ("DELETE", null)
            : (null, $"Database:ConnectionString: the SQLite database folder {folder} is on a network file system ({fileSystemType}), " +
                "where SQLite's write-ahead log can corrupt the database. Move it to a local disk, or set " +
                $"Database:OnNetworkFileSystem={RollbackJournal} to use the slower rollback journal with a single server.");
    }

    /// <summary>
    /// Chooses for the configured database's folder (created if missing, with the database file private, see
    /// <see cref="SqliteFiles"/>); no problem for PostgreSQL or an in-memory database.
    /// </summary>
    public static (string? Mode, string? Problem) Choose(DatabaseOptions options)
    {
        if (options.SqliteFile is not { } path)
        {
            return (null, null);
        }
        var folder = SqliteFiles.CreateFolder(path);
        var choice = Choose(folder, new DriveInfo(folder).DriveFormat, options.OnNetworkFileSystem);
        if (choice.Problem is null)
        {
            SqliteFiles.MakePrivate(path);
        }
        return choice;
    }
}
