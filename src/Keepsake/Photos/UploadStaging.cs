using Keepsake.Storage;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

/// <summary>
/// Where uploads wait while they are checked: a folder of this process's own under the temporary folder
/// (<c>TMPDIR</c>), made with a fresh random name by mkdtemp, so it is 0700 and never a path or a link someone
/// made beforehand. Its files are created 0600. Made on first use, removed with everything in it when the
/// process stops. Uploads are refused while its disk, or the data folder's, is short of space.
/// </summary>
public sealed partial class UploadStaging(IBlobStore blobs, IOptions<PhotosOptions> options, ILogger<UploadStaging> logger) : IDisposable
{
    private readonly Lazy<string> _folder = new(() => Directory.CreateTempSubdirectory("keepsake-uploads-").FullName);

    public string Folder => _folder.Value;

    /// <summary>A new, empty private file in the staging folder.</summary>
    public FileStream CreateFile(out string path)
    {
        path = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        return new FileStream(path, PrivateFiles.NewFile(bufferSize: 1));
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
        var staging = new DriveInfo(Folder).AvailableFreeSpace;
        if (staging < margin)
        {
            LogShortOfSpace(logger, Folder, staging, margin);
            return UploadRejections.NotEnoughSpace("the folder where uploads wait");
        }
        if (blobs is FileSystemBlobStore files)
        {
            var data = new DriveInfo(files.Root).AvailableFreeSpace;
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
        if (!_folder.IsValueCreated)
        {
            return;
        }
        try
        {
            Directory.Delete(_folder.Value, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotRemoved(logger, _folder.Value, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload refused: {Folder} would have {FreeBytes} bytes free, less than Photos:MinimumFreeBytes ({MarginBytes}); free some space or add disk")]
    private static partial void LogShortOfSpace(ILogger logger, string folder, long freeBytes, long marginBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upload staging folder {Folder} could not be removed: {Reason}")]
    private static partial void LogNotRemoved(ILogger logger, string folder, string reason);
}

/// <summary>An upload streamed to a file in the staging folder, with its hash and sniffed format. Disposing deletes the file.</summary>
public sealed class StagedFile(string fileName, string path, long length, string sha256, ImageFormat format) : IDisposable
{
    public string FileName { get; } = fileName;
    public string Path { get; } = path;
    public long Length { get; } = length;
    public string Sha256 { get; } = sha256;
    public ImageFormat Format { get; } = format;

    public void Dispose() => File.Delete(Path);
}
