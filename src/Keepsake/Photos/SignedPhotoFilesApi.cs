using Keepsake.Storage;
using Microsoft.Net.Http.Headers;

namespace Keepsake.Photos;

/// <summary>
/// Thumbnails and previews by signed URL (<see cref="SignedPhotoUrls"/>): the hot path of every grid. The route is
/// short-circuited (it runs right after routing: no session, antiforgery or authorization step) and reads no database:
/// the signature is the permission. A file on the local disk is sent straight from it (<see cref="LocalFileResult"/>), one in object storage streamed;
/// a revalidation is answered 304 from the URL alone, since the URL names the content.
/// </summary>
public static class SignedPhotoFilesApi
{
    public static IEndpointConventionBuilder MapSignedPhotoFiles(this IEndpointRouteBuilder routes) =>
        routes.MapGet(SignedPhotoUrls.RoutePrefix + "/{ownerId:guid}/{photoId:guid}/{variant}/{content}", GetAsync)
            .WithTags("Photos").WithName("GetSignedPhotoFile").AllowAnonymous().ProducesPhotoFile()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ShortCircuit();

    /// <summary>
    /// Serves the file a signed URL names, to whoever holds the URL until it expires. A URL that does not hold
    /// (another photo, owner, viewer or expiry than was signed) or has expired gets a 403 problem.
    /// </summary>
    public static async Task<IResult> GetAsync(
        Guid ownerId, Guid photoId, string variant, string content, string? viewer, string? place, string? expires, string? sig,
        HttpContext context, SignedPhotoUrls urls, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (!PhotoFiles.TryParseVariant(variant, out var kind) || kind == PhotoVariant.Original)
        {
            return NotFound();
        }
        var file = new SignedFile(ownerId, photoId, kind, content);
        var hidePlace = place == "hidden";
        switch (urls.Check(file, new PhotoViewer(viewer ?? "", hidePlace), expires, sig))
        {
            case SignedUrlCheck.Invalid:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid file link",
                    detail: "This link to a photo's file was not made by this server for this photo, or it was changed. Open the photo from the library or the shared album again.");
            case SignedUrlCheck.Expired:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "File link expired",
                    detail: "Links to a photo's files last a few minutes. Reload the page to get new ones.");
        }

        var rendition = PhotoFiles.Name(kind) + (hidePlace ? "-shared" : "");
        var entityTag = PhotoFiles.EntityTag(content, rendition);
        context.Response.Headers.CacheControl = PhotoFiles.CacheControl;
        if (IsCached(context.Request, entityTag))
        {
            context.Response.Headers.ETag = entityTag.ToString();
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var key = PhotoBlobs.Of(ownerId, photoId, kind);
        var format = kind == PhotoVariant.Preview ? ImageFormat.Jpeg : ImageFormat.Webp;
        if (hidePlace)
        {
            return await ServeWithoutPlaceAsync(blobs, key, format, entityTag, cancellationToken);
        }
        if (blobs.LocalPathOf(key) is { } path)
        {
            return new LocalFileResult(path, format.ContentType, entityTag, NotFound);
        }
        var stream = await blobs.OpenReadAsync(key, cancellationToken);
        return stream is null ? NotFound() : TypedResults.Stream(stream, format.ContentType, entityTag: entityTag);
    }

    /// <summary>For a share link without the place: the file cleaned of GPS and serial numbers, as the link's own route does.</summary>
    private static async Task<IResult> ServeWithoutPlaceAsync(IBlobStore blobs, string key, ImageFormat format, EntityTagHeaderValue entityTag, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return NotFound();
        }
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return PrivateMetadata.Strip(copy.ToArray(), format) is { } cleaned
            ? TypedResults.Bytes(cleaned, format.ContentType, entityTag: entityTag)
            : PhotoFiles.NotShareableWithoutPlace();
    }

    /// <summary>Whether the client holds this content already (<c>If-None-Match</c>, compared weakly as RFC 9110 asks).</summary>
    private static bool IsCached(HttpRequest request, EntityTagHeaderValue entityTag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }
        return EntityTagHeaderValue.TryParseList(header, out var tags) && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(entityTag, useStrongComparison: false));
    }

    /// <summary>Deleted, erased, or never there: the same answer, naming nothing.</summary>
    private static IResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "File not found",
            detail: "This photo's file is not here: the photo may have been deleted.");
}
