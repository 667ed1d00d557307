using Keepsake.Storage;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

/// <summary>
/// Where uploads and imports wait while they are checked: a <see cref="ScratchFolder"/> of this process's own under
/// <see cref="PhotosOptions.StagingPath"/> (the temporary folder, <c>TMPDIR</c>, by default), 0700 with an unguessable
/// name, its files 0600. Made on first use (and made again if it could not be made then), removed with everything in
/// it when the process stops; a killed process's folder is removed by the next start. Uploads are refused while its
/// disk, or the data folder's, is short of space.
/// </summary>
public sealed partial class UploadStaging(IBlobStore blobs, IOptions<PhotosOptions> options, ILogger<UploadStaging> logger) : IDisposable
{
    public const string Prefix = "keepsake-uploads-";

    private readonly Lock _lock = new();
    private ScratchFolder? _folder;

    /// <summary>The folder, made now if it is not yet; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>
    /// when the parent takes no folder (read-only, full, or another user's).</summary>
    public string Folder
    {
        get
        {
            lock (_lock)
            {
                _folder ??= ScratchFolder.Create(Prefix, options.Value.StagingPath);
                return _folder.Path;
            }
        }
    }

    /// <summary>A new, empty private file in the staging folder; <paramref name="access"/> read too for a file that is read back.</summary>
    public FileStream CreateFile(out string path, FileAccess access = FileAccess.Write)
    {
        path = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        return new FileStream(path, PrivateFiles.NewFile(access, bufferSize: 1));
    }

    /// <summary>
    /// A 507 when the staging folder has less than <see cref="PhotosOptions.MinimumFreeBytes"/> free, or the data
    /// folder (file-system storage) would have less once <paramref name="pendingBytes"/> staged bytes are stored there.
    /// </summary>
    public Rejection? CheckFreeSpace(long pendingBytes)
    {
        var margin = options.Value.MinimumFreeBytes;
        if (margin == 0)
        {
            return null;
        }
        var staging = WritableFolder.FreeBytes(Folder);
        if (staging < margin)
        {
            LogShortOfSpace(logger, Folder, staging, margin);
            return UploadRejections.NotEnoughSpace("the folder where uploads wait");
        }
        if (blobs is FileSystemBlobStore files)
        {
            var data = WritableFolder.FreeBytes(files.Root);
            if (data - pendingBytes < margin)
            {
                LogShortOfSpace(logger, files.Root, data - pendingBytes, margin);
                return UploadRejections.NotEnoughSpace("the data folder");
            }
        }
        return null;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _folder?.Dispose();
            _folder = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload refused: {Folder} would have {FreeBytes} bytes free, less than Photos:MinimumFreeBytes ({MarginBytes}); free some space or add disk")]
    private static partial void LogShortOfSpace(ILogger logger, string folder, long freeBytes, long marginBytes);
}

/// <summary>An upload streamed to a file in the staging folder, with its hash and sniffed format. Disposing deletes the file.</summary>
public sealed class StagedFile(string fileName, string path, long length, string sha256, ImageFormat format) : IDisposable
{
    public string FileName { get; } = fileName;
    public string Path { get; } = path;
    public long Length { get; } = length;
    public string Sha256 { get; } = sha256;
    public ImageFormat Format { get; } = format;

    /// <summary>When the source file was last changed, where its source knows it (an import from disk): the last resort for its date.</summary>
    public DateTime? ModifiedAt { get; set; }

    public void Dispose() => File.Delete(Path);
}
