using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Keepsake.Storage;

/// <summary>
/// Blobs as files under one root folder. A write goes to a temporary file in the same folder, is
/// flushed to disk, then renamed into place and the folder flushed, so a reader never sees half a
/// blob and a crash never leaves one under its real key. The folders are 0700 and the files 0600 (see
/// <see cref="PrivateFiles"/>); a data folder an earlier release left open is tightened when the store starts.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string TemporarySuffix = ".partial";
    private readonly string _root;

    public FileSystemBlobStore(IOptions<StorageOptions> options)
    {
        _root = System.IO.Path.GetFullPath(options.Value.Path);
        if (PrivateFiles.CreateFolder(_root))
        {
            PrivateFiles.TightenTree(_root);
        }
    }

    public string Root => _root;

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var folder = System.IO.Path.GetDirectoryName(path)!;
        // The root was tightened when the store was made; a folder is only created private here, not re-checked on every write.
        var made = !Directory.Exists(folder);
        if (made)
        {
            PrivateFiles.CreateFolder(folder);
        }
        var temporary = path + "." + Guid.NewGuid().ToString("N") + TemporarySuffix;
        try
        {
            await using (var file = new FileStream(temporary, PrivateFiles.NewFile()))
            {
                await content.CopyToAsync(file, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            FlushFolder(folder);
        }
        catch
        {
            DeleteIfThere(temporary);
            if (made)
            {
                RemoveIfEmpty(folder);
            }
            throw;
        }
    }

    /// <summary>A failed write leaves no folder of its own behind (a backup's, on a full disk); one another write has used meanwhile stays.</summary>
    private static void RemoveIfEmpty(string folder)
    {
        try
        {
            Directory.Delete(folder);
        }
        catch (IOException)
        {
            // Not empty, or already gone.
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public string? LocalPathOf(string key) => PathOf(key);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        DeleteIfThere(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>A file whose folder was never made (a write that failed at its first step) is as gone as a missing file.</summary>
    private static void DeleteIfThere(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = PathOf(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            yield break;
        }
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = System.IO.Path.GetRelativePath(_root, file.FullName).Replace(System.IO.Path.DirectorySeparatorChar, '/');
            BlobInfo blob;
            try
            {
                blob = new BlobInfo(key, file.Length, file.LastWriteTimeUtc);
            }
            catch (FileNotFoundException)
            {
                // Gone since the folder was read: a write's temporary file renamed, or a delete by another request.
                continue;
            }
            yield return blob;
        }
        await Task.CompletedTask;
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        WritableFolder.Problem(_root) is { } problem ? throw new IOException(problem) : Task.CompletedTask;

    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Contains("..", StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key.StartsWith('/'))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));
        }
        return System.IO.Path.Combine(_root, key.Replace('/', System.IO.Path.DirectorySeparatorChar));
    }

    /// <summary>
    /// Makes a rename durable: on Linux the new directory entry is only safe once the folder itself is
    /// synced, and .NET has no API that opens a folder, hence the two libc calls.
    /// </summary>
    private static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var descriptor = Native.Open(folder, Native.ReadOnlyDirectory);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open '{folder}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Native.FSync(descriptor) != 0)
            {
                throw new IOException($"Could not flush '{folder}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Native.Close(descriptor);
        }
    }

    private static class Native
    {
        /// <summary>O_RDONLY | O_DIRECTORY | O_CLOEXEC on Linux.</summary>
        public const int ReadOnlyDirectory = 0x10000 | 0x80000;

        [DllImport("libc.so.6", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Open(string path, int flags);

        [DllImport("libc.so.6", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int descriptor);

        [DllImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int descriptor);
    }
}
