using System.Buffers;
using Microsoft.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;

namespace Keepsake.Photos;

/// <summary>
/// A file on the local disk, sent as it is: one open, one length, one read from the page cache into a pooled buffer.
/// A thumbnail is one read and one write; the general file result (a stat, an existence check, then
/// asynchronous reads on the thread pool) costs several times that on the grid's hot path. A file gone since the URL
/// was handed out (a deleted photo) is a 404.
/// </summary>
public sealed class LocalFileResult(string path, string contentType, EntityTagHeaderValue entityTag, Func<IResult> notFound) : IResult
{
    /// <summary>Thumbnails are a few kilobytes; anything up to this is sent from one read.</summary>
    private const int SmallFileBytes = 64 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            await notFound().ExecuteAsync(httpContext);
            return;
        }
        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length > SmallFileBytes)
            {
                // A preview or larger: the framework's file result, which streams it in chunks.
                handle.Dispose();
                await TypedResults.PhysicalFile(path, contentType, entityTag: entityTag).ExecuteAsync(httpContext);
                return;
            }
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.ContentLength = length;
            response.Headers.ETag = entityTag.ToString();
            var buffer = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                // From the page cache a read takes microseconds: not worth a trip through the thread pool.
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)length), 0);
                await response.Body.WriteAsync(buffer.AsMemory(0, read), httpContext.RequestAborted);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
