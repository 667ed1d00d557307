namespace Keepsake.Storage;

/// <summary>
/// A private working folder of one process (upload staging, backup and restore staging): made 0700 with an
/// unguessable name under a parent folder (the temporary folder by default), removed with everything in it when
/// disposed. It holds an <see cref="OwnerFileName"/> file locked for as long as the folder is in use (an
/// advisory <c>flock</c>, which .NET takes for <see cref="FileShare.None"/>): the kernel drops the lock when
/// the process dies however it dies, so <see cref="ScratchAreas"/> can tell a killed run's folder from a
/// running one's at once, without guessing from its age.
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    public const string OwnerFileName = ".owner";

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
        var path = System.IO.Path.Combine(root, prefix + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateFiles.FolderMode);
        }
        try
        {
            var owner = new FileStream(System.IO.Path.Combine(path, OwnerFileName), PrivateFiles.NewFile(FileAccess.ReadWrite, FileOptions.None, bufferSize: 0));
            owner.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            owner.Flush();
            return new ScratchFolder(path, owner);
        }
        catch
        {
            Directory.Delete(path, recursive: true);
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
