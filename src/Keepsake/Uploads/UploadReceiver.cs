using System.Globalization;
using System.Security.Cryptography;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Keepsake.Uploads;

/// <summary>
/// A <c>PATCH</c>: the body is appended to the upload from its offset, a part (<see cref="UploadsOptions.PartBytes"/>)
/// at a time, each written to the blob store before the row's offset moves past it. A body that stops early (the
/// client went away) keeps what arrived; the last byte ingests the photo (<see cref="CompleteAsync"/>).
/// </summary>
public sealed partial class UploadReceiver(
    KeepsakeDbContext db,
    UploadParts parts,
    UploadStaging staging,
    PhotoIngestor ingestor,
    IOptions<UploadsOptions> options,
    KeepsakeMetrics metrics,
    TimeProvider time,
    ILogger<UploadReceiver> logger)
{
    public async Task<IResult> AppendAsync(HttpContext context, Guid ownerId, Guid id, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals(TusHeaders.OffsetContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not an upload chunk",
                detail: $"Send the bytes with 'Content-Type: {TusHeaders.OffsetContentType}'.");
        }
        if (!TusHeaders.TryParseSize(request.Headers[TusHeaders.UploadOffset], out var offset))
        {
            return UploadsApi.BadRequest("Upload offset missing", $"Send the offset these bytes start at as the header '{TusHeaders.UploadOffset}' (HEAD the upload to learn it).");
        }
        if (await UploadsApi.FindAsync(db, ownerId, id, time, cancellationToken) is not { } upload)
        {
            return TypedResults.NotFound();
        }
        if (offset != upload.Offset)
        {
            return Conflict(upload.Offset, offset);
        }
        (HashAlgorithmName Algorithm, byte[] Digest)? checksum = null;
        if (request.Headers.TryGetValue(TusHeaders.UploadChecksum, out var checksumHeader))
        {
            checksum = TusHeaders.ParseChecksum(checksumHeader.ToString(), out var problem);
            if (checksum is null)
            {
                return UploadsApi.BadRequest("Invalid checksum", problem!);
            }
        }
        var remaining = upload.Length - upload.Offset;
        if (request.ContentLength > remaining)
        {
            return TooLong(remaining);
        }
        if (staging.CheckFreeSpace(pendingBytes: remaining) is { } noSpace)
        {
            return TypedResults.Problem(statusCode: noSpace.Status, title: noSpace.Title, detail: noSpace.Detail);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // A body without a length is cut where the upload ends.
            bodyLimit.MaxRequestBodySize = remaining;
        }
        return await ReceiveAsync(context, upload, checksum, cancellationToken);
    }

    private async Task<IResult> ReceiveAsync(HttpContext context, PendingUpload upload, (HashAlgorithmName Algorithm, byte[] Digest)? checksum, CancellationToken cancellationToken)
    {
        // With a checksum the body is kept whole until it is checked: a part of it cannot be, so none is stored early.
        var partLimit = checksum is null ? options.Value.PartBytes : long.MaxValue;
        using var hash = checksum is null ? null : IncrementalHash.CreateHash(checksum.Value.Algorithm);
        var partStart = upload.Offset;
        long inPart = 0;
        var buffer = new byte[81920];
        var file = staging.CreateFile(out var path, FileAccess.ReadWrite);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await context.Request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, partLimit - inPart)), cancellationToken);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return TooLong(upload.Length - partStart);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    // The client went away: what arrived is kept (unless it was to be checked whole), and it resumes from there.
                    var kept = checksum is null && inPart > 0 && await CommitPartAsync(upload, partStart, file, inPart);
                    LogInterrupted(logger, e, upload.Id, kept ? partStart + inPart : partStart);
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Upload interrupted",
                        detail: "The body ended before its end; HEAD the upload for the offset to resume from.");
                }
                if (read == 0)
                {
                    break;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                hash?.AppendData(buffer, 0, read);
                inPart += read;
                if (inPart == partLimit && partStart + inPart < upload.Length)
                {
                    if (!await CommitPartAsync(upload, partStart, file, inPart))
                    {
                        return Conflict(await CurrentOffsetAsync(upload), partStart);
                    }
                    partStart += inPart;
                    inPart = 0;
                }
            }
            if (checksum is { } expected && !CryptographicOperations.FixedTimeEquals(hash!.GetHashAndReset(), expected.Digest))
            {
                return TypedResults.Problem(statusCode: TusHeaders.ChecksumMismatch, title: "Checksum mismatch",
                    detail: $"The bytes of this request do not match its '{TusHeaders.UploadChecksum}'; none of them were kept. Send them again.");
            }
            if (partStart + inPart == upload.Length)
            {
                // The last part is written but the offset stays before it until the photo is stored: an upload whose
                // ingest failed still waits for its last bytes, so the client sends them again rather than believe it done.
                await WritePartAsync(upload, partStart, file);
                return await CompleteAsync(context, upload);
            }
            if (inPart > 0 && !await CommitPartAsync(upload, partStart, file, inPart))
            {
                return Conflict(await CurrentOffsetAsync(upload), partStart);
            }
            context.Response.Headers[TusHeaders.UploadOffset] = (partStart + inPart).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[TusHeaders.UploadExpires] = UploadsApi.Expires(NextExpiry());
            return TypedResults.NoContent();
        }
        finally
        {
            await file.DisposeAsync();
            File.Delete(path);
        }
    }

    /// <summary>Writes the part, then moves the row's offset past it, unless another request moved it first (false).</summary>
    private async Task<bool> CommitPartAsync(PendingUpload upload, long partStart, FileStream file, long length)
    {
        await WritePartAsync(upload, partStart, file);
        var expires = NextExpiry();
        var moved = await db.PendingUploads.Where(u => u.Id == upload.Id && u.OwnerId == upload.OwnerId && u.Offset == partStart)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Offset, partStart + length).SetProperty(x => x.ExpiresAt, expires), CancellationToken.None);
        return moved == 1;
    }

    /// <summary>Stores the staged part (the whole staging file) durably and empties the file for the next; not cancelled, so bytes that arrived are kept.</summary>
    private async Task WritePartAsync(PendingUpload upload, long partStart, FileStream file)
    {
        await file.FlushAsync(CancellationToken.None);
        file.Position = 0;
        await parts.WriteAsync(upload.OwnerId, upload.Id, partStart, file, CancellationToken.None);
        file.Position = 0;
        file.SetLength(0);
    }

    private DateTime NextExpiry() => time.GetUtcNow().UtcDateTime + options.Value.Expiry;

    private async Task<long> CurrentOffsetAsync(PendingUpload upload) =>
        await db.PendingUploads.Where(u => u.Id == upload.Id).Select(u => (long?)u.Offset).FirstOrDefaultAsync(CancellationToken.None) ?? 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} was interrupted; it resumes from byte {Offset}")]
    private static partial void LogInterrupted(ILogger logger, Exception exception, Guid uploadId, long offset);

    private static ProblemHttpResult Conflict(long expected, long sent) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Wrong upload offset",
            detail: $"The upload has {expected} bytes; this request starts at {sent}. HEAD the upload and send from '{TusHeaders.UploadOffset}'.");

    private static ProblemHttpResult TooLong(long remaining) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "More bytes than the upload's length",
            detail: $"This request carries more than the {remaining} bytes left before 'Upload-Length'; nothing of it past the upload's end is kept.");
}
