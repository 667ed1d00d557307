using Keepsake.Data;
using Keepsake.Storage;

namespace Keepsake.Tests.Faults;

/// <summary>
/// Settings that keep an app on the embedded stack (SQLite, blobs in a folder) in the scale-stack run too: a test of a
/// full local disk is about that disk, which the scale stack's bucket and database do not live on.
/// </summary>
public static class EmbeddedStack
{
    /// <summary>SQLite, and the blobs in <paramref name="dataFolder"/> (the app's own data folder when null), on top of <paramref name="settings"/>.</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?> settings, string? dataFolder = null)
    {
        settings["Database:Provider"] = DatabaseOptions.Sqlite;
        settings["Storage:Provider"] = StorageOptions.FileSystemProvider;
        if (dataFolder is not null)
        {
            settings["Storage:Path"] = dataFolder;
        }
        return settings;
    }
}
