using System.IO.Enumeration;

namespace Keepsake.Storage;

/// <summary>
/// Folders and files only the user Keepsake runs as can read: folders 0700, files 0600. The modes are given
/// when a thing is created rather than left to the umask, and tightened on what earlier releases made with
/// the default (0755/0644). The owner keeps full access, so a Kubernetes volume whose group is the pod's
/// <c>fsGroup</c> still works for the same user; a folder this process does not own (a volume's mount point)
/// is left as it is.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers = ~FolderMode & (UnixFileMode)0x1FF;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) as 0700, or tightens it when it exists. Returns true when
    /// it existed and was open to others (made by an earlier release), so what is inside may need tightening too.
    /// </summary>
    public static bool CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return false;
        }
        if (!Directory.Exists(path))
        {
            // The mode given to Directory.CreateDirectory applies to the last folder only: missing parents one by one.
            var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
            if (parent is not null && !Directory.Exists(parent))
            {
                CreateFolder(parent);
            }
            Directory.CreateDirectory(path, FolderMode);
            return false;
        }
        var open = (File.GetUnixFileMode(path) & GroupAndOthers) != 0;
        Tighten(path, FolderMode);
        return open;
    }

    /// <summary>Options that create a new file as 0600, failing if it exists.</summary>
    public static FileStreamOptions NewFile(FileAccess access = FileAccess.Write, FileOptions options = FileOptions.Asynchronous, int bufferSize = 81920)
    {
        var stream = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = access, Share = FileShare.None, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = FileMode;
        }
        return stream;
    }

    /// <summary>Removes group and other permissions from a file or folder; false when it was already private or cannot be changed here.</summary>
    public static bool Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        try
        {
            var current = File.GetUnixFileMode(path);
            if ((current & GroupAndOthers) == 0)
            {
                return false;
            }
            // A folder keeps its set-group-ID bit, so files made in a volume shared through an fsGroup keep that group.
            File.SetUnixFileMode(path, mode | (current & UnixFileMode.SetGroup));
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException)
        {
            // Not ours (e.g. the mount point of a volume) or already gone: what is inside is still made private.
            return false;
        }
    }

    /// <summary>Makes every folder below <paramref name="root"/> 0700 and every file 0600, without following links.</summary>
    public static int TightenTree(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var entries = new FileSystemEnumerable<(string Path, bool IsFolder)>(root, (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        return entries.Count(entry => Tighten(entry.Path, entry.IsFolder ? FolderMode : FileMode));
    }
}
