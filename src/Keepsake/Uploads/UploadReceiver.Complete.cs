using Keepsake.Observability;
using Keepsake.Photos;

namespace Keepsake.Uploads;

/// <summary>The last byte of an upload: its parts become a photo exactly as a form upload's file does.</summary>
public sealed partial class UploadReceiver
{
    /// <summary>
    /// Stages the parts as one file (the same checks as a form upload's file), checks the client's SHA-256 if it gave
    /// one, and ingests it (the same decoding, dedupe and refusals). Whatever the outcome but a server fault, the
    /// upload is gone after: a refused file leaves no parts, rows or files. Not cancelled by a client that went away
    /// meanwhile: its photo is stored all the same.
    /// </summary>
    private async Task<IResult> CompleteAsync(HttpContext context, PendingUpload upload)
    {
        var none = CancellationToken.None;
        StagedFile? staged = null;
        try
        {
            Rejection? rejection;
            try
            {
                await using var content = await parts.OpenAsync(upload.OwnerId, upload.Id, upload.Length, none);
                (staged, rejection) = await ingestor.StageAsync(content, upload.FileName, none);
            }
            catch (MissingUploadPartException e)
            {
                // The bytes cannot be sent again (an offset only grows): the upload is removed, and the client starts over.
                LogPartMissing(logger, e, upload.Id, e.Offset);
                await UploadsApi.RemoveAsync(db, parts, upload.OwnerId, upload.Id);
                return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Upload lost",
                    detail: $"The server no longer has the bytes of '{upload.FileName}' from byte {e.Offset} on, so it cannot store the photo. Nothing was stored; upload the file again.",
                    extensions: new Dictionary<string, object?> { ["fileName"] = upload.FileName });
            }
            if (rejection is not null)
            {
                await UploadsApi.RemoveAsync(db, parts, upload.OwnerId, upload.Id);
                return PhotosApi.Refused(metrics, rejection, upload.FileName);
            }
            if (upload.Sha256 is { } expected && staged!.Sha256 != expected)
            {
                await UploadsApi.RemoveAsync(db, parts, upload.OwnerId, upload.Id);
                metrics.UploadFailed(UploadFailureReason.Malformed);
                return TypedResults.Problem(statusCode: TusHeaders.ChecksumMismatch, title: "Checksum mismatch",
                    detail: $"The bytes received have the SHA-256 {staged.Sha256}, not the {expected} given in 'Upload-Metadata'; nothing was stored.",
                    extensions: new Dictionary<string, object?> { ["fileName"] = upload.FileName });
            }
            staged!.ModifiedAt = upload.TakenAt;
            var (photo, refusal) = await PhotosApi.IngestOneAsync(ingestor, metrics, upload.OwnerId, staged, upload.FileName);
            await UploadsApi.RemoveAsync(db, parts, upload.OwnerId, upload.Id);
            if (photo is null)
            {
                return refusal!;
            }
            LogCompleted(logger, upload.Id, photo.Photo.Id, upload.Length, photo.Duplicate);
            context.Response.Headers[TusHeaders.UploadOffset] = upload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers[TusHeaders.UploadPhotoId] = photo.Photo.Id.ToString();
            context.Response.Headers[TusHeaders.UploadPhotoDuplicate] = photo.Duplicate ? "true" : "false";
            return TypedResults.NoContent();
        }
        finally
        {
            staged?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resumable upload {UploadId} lost its part from byte {Offset} in the store; the upload was removed")]
    private static partial void LogPartMissing(ILogger logger, Exception exception, Guid uploadId, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumable upload {UploadId} ({Length} bytes) became photo {PhotoId} (duplicate: {Duplicate})")]
    private static partial void LogCompleted(ILogger logger, Guid uploadId, Guid photoId, long length, bool duplicate);
}
