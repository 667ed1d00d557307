using System.Globalization;
using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Uploads;

/// <summary>
/// Resumable uploads, tus 1.0.0 with the creation, termination, expiration and checksum extensions: <c>POST</c> makes
/// an upload, <c>HEAD</c> says how far it got, <c>PATCH</c> appends from there, and the last byte ingests the photo as a
/// form upload would. Left out of the OpenAPI document: the protocol lives in headers the document cannot describe.
/// </summary>
public static class UploadsApi
{
    public static RouteGroupBuilder MapUploads(this IEndpointRouteBuilder routes)
    {
        // Who may upload is decided here alone: the signed-in session (the antiforgery middleware checks every write's
        // header) or a device key, an upload-only one included: a phone's backup is what these routes are for.
        var group = routes.MapGroup("/api/uploads").WithTags("Uploads").RequireAuthorization().AllowUploadKeys().ExcludeFromDescription();
        group.AddEndpointFilter(TusResumableFilter);
        group.MapMethods("/", [HttpMethods.Options], Describe);
        group.MapPost("/", CreateAsync);
        group.MapMethods("/{id:guid}", [HttpMethods.Head], OffsetAsync);
        group.MapPatch("/{id:guid}", (Guid id, HttpContext context, UploadReceiver receiver, CancellationToken cancellationToken) =>
            receiver.AppendAsync(context, OwnerOf(context), id, cancellationToken)).WithMetadata(new DisableRequestSizeLimitAttribute());
        group.MapDelete("/{id:guid}", TerminateAsync);
        return group;
    }

    /// <summary>The user an upload belongs to: the one asking.</summary>
    public static Guid OwnerOf(HttpContext context) => context.User.UserId();

    /// <summary>Every answer but OPTIONS carries <c>Tus-Resumable</c>, and a request for another version of the protocol gets 412.</summary>
    private static async ValueTask<object?> TusResumableFilter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        context.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            return await next(invocation);
        }
        context.Response.Headers[TusHeaders.Resumable] = TusHeaders.Version;
        var asked = context.Request.Headers[TusHeaders.Resumable].ToString();
        if (asked != TusHeaders.Version)
        {
            context.Response.Headers[TusHeaders.SupportedVersions] = TusHeaders.Version;
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Unsupported tus version",
                detail: asked.Length == 0
                    ? $"Send the header '{TusHeaders.Resumable}: {TusHeaders.Version}' with every request to /api/uploads."
                    : $"This server speaks tus {TusHeaders.Version}, not '{asked}'.");
        }
        return await next(invocation);
    }

    private static NoContent Describe(HttpContext context, IOptions<PhotosOptions> photos)
    {
        var headers = context.Response.Headers;
        headers[TusHeaders.Resumable] = TusHeaders.Version;
        headers[TusHeaders.SupportedVersions] = TusHeaders.Version;
        headers[TusHeaders.Extensions] = TusHeaders.SupportedExtensions;
        headers[TusHeaders.MaxSize] = photos.Value.MaxUploadBytes.ToString(CultureInfo.InvariantCulture);
        headers[TusHeaders.ChecksumAlgorithms] = TusHeaders.Checksums;
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created, ProblemHttpResult>> CreateAsync(
        HttpContext context, KeepsakeDbContext db, UploadStaging staging, IOptions<PhotosOptions> photos, IOptions<UploadsOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!TusHeaders.TryParseSize(request.Headers[TusHeaders.UploadLength], out var length))
        {
            return BadRequest("Upload length missing", request.Headers.ContainsKey("Upload-Defer-Length")
                ? "This server needs the size of the upload when it is created; send 'Upload-Length' instead of 'Upload-Defer-Length'."
                : "Send the size of the whole file in bytes as the header 'Upload-Length'.");
        }
        if (UploadDescription.Parse(request.Headers[TusHeaders.UploadMetadata], out var problem) is not { } description)
        {
            return BadRequest("Invalid upload metadata", problem!);
        }
        var limit = photos.Value.MaxUploadBytes;
        if (length > limit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Photo too large",
                detail: $"'{description.FileName}' is larger than the {Bytes.Format(limit)} limit for one photo.",
                extensions: new Dictionary<string, object?> { ["fileName"] = description.FileName });
        }
        if (length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Empty file",
                detail: $"'{description.FileName}' is empty.", extensions: new Dictionary<string, object?> { ["fileName"] = description.FileName });
        }
        if (staging.CheckFreeSpace(pendingBytes: length) is { } noSpace)
        {
            return TypedResults.Problem(statusCode: noSpace.Status, title: noSpace.Title, detail: noSpace.Detail);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var upload = new PendingUpload
        {
            Id = Guid.NewGuid(),
            OwnerId = OwnerOf(context),
            Length = length,
            FileName = description.FileName,
            Sha256 = description.Sha256,
            TakenAt = description.TakenAt,
            CreatedAt = now,
            ExpiresAt = now + options.Value.Expiry,
        };
        db.PendingUploads.Add(upload);
        await db.SaveChangesAsync(cancellationToken);
        context.Response.Headers[TusHeaders.UploadExpires] = Expires(upload.ExpiresAt);
        return TypedResults.Created($"/api/uploads/{upload.Id:N}");
    }

    private static async Task<Results<Ok, NotFound>> OffsetAsync(Guid id, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, OwnerOf(context), id, time, cancellationToken) is not { } upload)
        {
            return TypedResults.NotFound();
        }
        var headers = context.Response.Headers;
        headers[TusHeaders.UploadOffset] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        headers[TusHeaders.UploadLength] = upload.Length.ToString(CultureInfo.InvariantCulture);
        headers[TusHeaders.UploadExpires] = Expires(upload.ExpiresAt);
        return TypedResults.Ok();
    }

    /// <summary>Termination: the upload and every byte of it are gone at once.</summary>
    private static async Task<Results<NoContent, NotFound>> TerminateAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, UploadParts parts, TimeProvider time, CancellationToken cancellationToken)
    {
        var owner = OwnerOf(context);
        if (await FindAsync(db, owner, id, time, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        await RemoveAsync(db, parts, owner, id);
        return TypedResults.NoContent();
    }

    /// <summary>The owner's upload, unless it has expired; another user's is as good as none.</summary>
    internal static Task<PendingUpload?> FindAsync(KeepsakeDbContext db, Guid ownerId, Guid id, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.PendingUploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.OwnerId == ownerId && u.ExpiresAt > now, cancellationToken);
    }

    /// <summary>
    /// Removes the row, then the parts: a crash in between leaves parts without a row, which fsck reports and removes,
    /// never a row whose parts are gone. Not cancelled by a client that went away: half a removal helps no one.
    /// </summary>
    internal static async Task RemoveAsync(KeepsakeDbContext db, UploadParts parts, Guid ownerId, Guid id)
    {
        await db.PendingUploads.Where(u => u.Id == id && u.OwnerId == ownerId).ExecuteDeleteAsync(CancellationToken.None);
        await parts.DeleteAsync(ownerId, id, CancellationToken.None);
    }

    internal static string Expires(DateTime expiresAt) =>
        DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc).ToString("r", CultureInfo.InvariantCulture);

    internal static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
