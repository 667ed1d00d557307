using Keepsake.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keepsake.Data;

/// <summary>
/// The embedded database's files are readable by their owner only. SQLite creates a database as 0644 (less the
/// umask) and gives its -wal, -shm and -journal files the database file's own mode, so the file is made 0600
/// before SQLite first opens it, and files an earlier release left open are tightened.
/// </summary>
public static class SqliteFiles
{
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    /// <summary>Creates the database's folder as 0700 when it is missing, and returns it. A folder that exists may be
    /// shared with other things (a home folder), so it is left as it is.</summary>
    public static string CreateFolder(string databaseFile)
    {
        var folder = Path.GetDirectoryName(databaseFile)!;
        if (!Directory.Exists(folder))
        {
            PrivateFiles.CreateFolder(folder);
        }
        return folder;
    }

    /// <summary>Creates the database file as 0600 when it is missing; makes it and its companions 0600 when they are not.</summary>
    public static void MakePrivate(string databaseFile)
    {
        if (!File.Exists(databaseFile))
        {
            // An empty file is a new database to SQLite.
            try
            {
                using var created = new FileStream(databaseFile, PrivateFiles.NewFile(options: FileOptions.None, bufferSize: 0));
            }
            catch (IOException) when (File.Exists(databaseFile))
            {
                // Another process created it first.
            }
        }
        foreach (var file in CompanionSuffixes.Select(suffix => databaseFile + suffix).Prepend(databaseFile))
        {
            PrivateFiles.Tighten(file, PrivateFiles.FileMode);
        }
    }

    /// <summary>
    /// Null when the database file (or, before it exists, its folder) takes writes; else a sentence naming the file. SQLite
    /// opens a file it may not write read-only without a word, and every write then fails, so this asks SQLite itself.
    /// </summary>
    public static string? WriteProblem(string databaseFile)
    {
        var folder = Path.GetDirectoryName(databaseFile)!;
        if (WritableFolder.Problem(folder) is { } folderProblem)
        {
            return $"the SQLite database's folder {folderProblem}";
        }
        if (!File.Exists(databaseFile))
        {
            return null;
        }
        var connection = new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        using var database = new SqliteConnection(connection.ConnectionString);
        database.Open();
        return raw.sqlite3_db_readonly(database.Handle, "main") == 1
            ? $"the SQLite database {databaseFile} can only be read (a read-only file or file system): Keepsake needs to write to it"
            : null;
    }
}
