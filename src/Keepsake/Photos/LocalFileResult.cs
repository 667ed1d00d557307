using Microsoft.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;

namespace Keepsake.Photos;

/// <summary>
/// A file on the local disk, sent as it is: one open, one length, reads straight from the page cache into the response's
/// buffer. A thumbnail is one read and one write; the general file result (a stat, an existence check, then
/// asynchronous reads on the thread pool) costs several times that on the grid's hot path. A file gone since the URL
/// was handed out (a deleted photo) is a 404.
/// </summary>
public sealed class LocalFileResult(string path, string contentType, EntityTagHeaderValue entityTag, Func<IResult> notFound) : IResult
{
    private const int ChunkBytes = 64 * 1024;

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
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.ContentLength = length;
            response.Headers.ETag = entityTag.ToString();
            var body = response.BodyWriter;
            for (long offset = 0; offset < length;)
            {
                // Straight into the response's own buffer; from the page cache a read takes microseconds, not worth a
                // trip through the thread pool.
                var memory = body.GetMemory((int)Math.Min(ChunkBytes, length - offset));
                var read = RandomAccess.Read(handle, memory.Span[..(int)Math.Min(memory.Length, length - offset)], offset);
                if (read == 0)
                {
                    break;
                }
                body.Advance(read);
                offset += read;
                if (offset < length)
                {
                    await body.FlushAsync(httpContext.RequestAborted);
                }
            }
        }
    }
}
