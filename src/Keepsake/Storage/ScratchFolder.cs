namespace Keepsake.Storage;

/// <summary>
/// A private working folder of one process (upload staging, backup and restore staging): made 0700 with an
/// unguessable name under a parent folder (the temporary folder by default), removed with everything in it when
/// disposed. It holds an <see cref="OwnerFileName"/> file locked for as long as the folder is in use (an
/// advisory <c>flock</c>, which .NET takes for <see cref="FileShare.None"/>): the kernel drops the lock when
/// the process dies however it dies, so <see cref="ScratchAreas"/> can tell a killed run's folder from a
/// running one's at once, without guessing from its age. On Linux and macOS the folder is made under a hidden
/// name (<see cref="MakingMark"/>), its owner file locked, and only then renamed to its own name: .NET opens a file
/// and locks it in two steps, and a sweep that came between them would take the folder for a dead run's.
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    public const string OwnerFileName = ".owner";

    /// <summary>What a folder's name starts with while it is being made, before its own prefix.</summary>
    public const string MakingMark = ".making-";

    private readonly FileStream _owner;
    private bool _disposed;

    private ScratchFolder(string path, FileStream owner)
    {
        Path = path;
        _owner = owner;
    }

    public string Path { get; }

    /// <summary>A new folder named <paramref name="prefix"/> and 32 random hex digits under <paramref name="parent"/>
    /// (the temporary folder when null or empty). Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>
    /// when the parent cannot take it.</summary>
    public static ScratchFolder Create(string prefix, string? parent)
    {
        var root = ParentOf(parent);
        var name = prefix + Guid.NewGuid().ToString("N");
        var path = System.IO.Path.Combine(root, name);
        if (OperatingSystem.IsWindows())
        {
            // Windows takes the share mode in the same call that creates the file: there is no moment to hide.
            Directory.CreateDirectory(path);
            return Own(path, path);
        }
        var making = System.IO.Path.Combine(root, MakingMark + name);
        Directory.CreateDirectory(making, PrivateFiles.FolderMode);
        return Own(making, path);
    }

    /// <summary>Locks the owner file in <paramref name="made"/>, then gives the folder its <paramref name="path"/>.</summary>
    private static ScratchFolder Own(string made, string path)
    {
        FileStream? owner = null;
        try
        {
            owner = new FileStream(System.IO.Path.Combine(made, OwnerFileName), PrivateFiles.NewFile(FileAccess.ReadWrite, FileOptions.None, bufferSize: 0));
            owner.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            owner.Flush();
            if (made != path)
            {
                Directory.Move(made, path);
            }
            return new ScratchFolder(path, owner);
        }
        catch
        {
            // Nothing after the move can fail, so the folder still has the name it was made under.
            owner?.Dispose();
            Directory.Delete(made, recursive: true);
            throw;
        }
    }

    /// <summary>The full path of <paramref name="parent"/>, or of the temporary folder when none is set.</summary>
    public static string ParentOf(string? parent) =>
        string.IsNullOrEmpty(parent) ? System.IO.Path.GetTempPath() : System.IO.Path.GetFullPath(parent);

    /// <summary>A path for a file of this folder's.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Removes the folder; a folder that cannot be removed now is the next run's to sweep.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still marked as a scratch folder: the next start removes it once the lock below is gone.
        }
        _owner.Dispose();
    }
}
