namespace Keepsake.Storage;

/// <summary>Whether a folder takes writes now, tried the only sure way: writing a small private file and removing it.</summary>
public static class WritableFolder
{
    /// <summary>Null when <paramref name="folder"/> takes a write; else a sentence naming the folder and what is wrong.</summary>
    public static string? Problem(string folder)
    {
        var probe = Path.Combine(folder, $".keepsake-probe-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(probe, PrivateFiles.NewFile(options: FileOptions.None, bufferSize: 0)))
            {
                // A byte on disk, not only a name: a full disk takes a new name but no data.
                file.WriteByte(0);
                file.Flush(flushToDisk: true);
            }
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            return StorageFault.Classify(e) is { } kind
                ? $"{folder} takes no writes: {StorageFault.Describe(kind)} ({e.Message})"
                : $"{folder} takes no writes: {e.Message}";
        }
    }

    /// <summary>Bytes free for this process on the file system that holds <paramref name="folder"/>.</summary>
    public static long FreeBytes(string folder) => new DriveInfo(folder).AvailableFreeSpace;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The same fault that failed the write; the probe's name says what it is.
        }
    }
}
