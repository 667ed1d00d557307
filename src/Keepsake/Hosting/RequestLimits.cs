using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Keepsake.Hosting;

/// <summary>
/// Every request body is capped at <see cref="JsonBodyLimit"/> unless its endpoint declares a limit of its own
/// (the photo upload): a declared Content-Length past it is refused before a byte is read, and a chunked body is
/// cut off as it passes the cap, so no JSON endpoint ever holds more than that in memory.
/// </summary>
public static class RequestLimits
{
    public const int JsonBodyLimit = 64 * 1024;

    public static WebApplication UseKeepsakeRequestLimits(this WebApplication app)
    {
        app.UseMiddleware<BodyLimitMiddleware>();
        return app;
    }

    /// <summary>
    /// Reads a JSON body by hand, for endpoints that must answer (a throttle's 429, an unknown link's 404) before
    /// reading anything. Returns the body, or the problem to answer with.
    /// </summary>
    public static async Task<(T? Body, IResult? Problem)> ReadJsonAsync<T>(HttpContext context)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON expected",
                detail: "Send the body as JSON, with Content-Type: application/json."));
        }
        try
        {
            return (await context.Request.ReadFromJsonAsync<T>(context.RequestAborted), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (JsonException)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid JSON",
                detail: "The body is not valid JSON for this request."));
        }
    }

    internal static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
            detail: $"This request's body is over {JsonBodyLimit / 1024} KB, more than any form of Keepsake sends; nothing was read or changed.");

    private sealed class BodyLimitMiddleware(RequestDelegate next)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not null || context.Request.ContentLength == 0)
            {
                await next(context);
                return;
            }
            if (context.Request.ContentLength > JsonBodyLimit)
            {
                await TooLarge().ExecuteAsync(context);
                return;
            }
            var original = context.Request.Body;
            await using var capped = new CappedStream(original, JsonBodyLimit);
            context.Request.Body = capped;
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException) when (capped.Exceeded && !context.Response.HasStarted)
            {
                context.Response.Clear();
            }
            finally
            {
                context.Request.Body = original;
            }
            // Model binding answers a body past the cap with a bare 413; say why.
            if (capped.Exceeded && !context.Response.HasStarted)
            {
                context.Response.Clear();
                await TooLarge().ExecuteAsync(context);
            }
        }
    }

    /// <summary>Reads through to the request body until <c>limit</c> bytes have passed, then fails the read with a 413.</summary>
    private sealed class CappedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // The inner stream is the server's; it is not this wrapper's to close.
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }
            return read;
        }
    }
}
