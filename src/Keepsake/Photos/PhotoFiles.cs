using Keepsake.Storage;
using Microsoft.Net.Http.Headers;

namespace Keepsake.Photos;

public enum PhotoVariant
{
    Thumbnail,
    Preview,
    Original,
}

/// <summary>Serves a photo's files. They never change once written, so they are cached for a year and revalidated by ETag.</summary>
public static class PhotoFiles
{
    public static bool TryParseVariant(string text, out PhotoVariant variant) =>
        Enum.TryParse(text, ignoreCase: true, out variant) && Enum.IsDefined(variant) && !int.TryParse(text, out _);

    public static async Task<IResult> ServeAsync(HttpContext context, IBlobStore blobs, Photo photo, PhotoVariant variant, CancellationToken cancellationToken)
    {
        var (key, contentType, downloadName) = variant switch
        {
            PhotoVariant.Thumbnail => (PhotoBlobs.Thumbnail(photo.OwnerId, photo.Id), "image/webp", (string?)null),
            PhotoVariant.Preview => (PhotoBlobs.Preview(photo.OwnerId, photo.Id), "image/jpeg", null),
            _ => (PhotoBlobs.Original(photo.OwnerId, photo.Id), ImageFormat.FromName(photo.Format)?.ContentType ?? "application/octet-stream", photo.OriginalFileName),
        };
        var stream = await blobs.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "File missing",
                detail: "This photo's file is missing from storage; an administrator can run 'keepsake fsck' to find out more.");
        }
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        var etag = new EntityTagHeaderValue($"\"{photo.Sha256[..32]}-{variant.ToString().ToLowerInvariant()}\"");
        return TypedResults.Stream(stream, contentType, downloadName, entityTag: etag, enableRangeProcessing: variant == PhotoVariant.Original);
    }
}
