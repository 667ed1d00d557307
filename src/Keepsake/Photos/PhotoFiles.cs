using System.Globalization;
using System.Text;
using Keepsake.Storage;
using Microsoft.Net.Http.Headers;

namespace Keepsake.Photos;

public enum PhotoVariant
{
    Thumbnail,
    Preview,
    Original,

    /// <summary>The thumbnail for grids on 2× screens (<see cref="PhotosOptions.LargeThumbnailHeight"/>), once it is made.</summary>
    LargeThumbnail,
}

/// <summary>
/// Serves a photo's files. They never change once written, so they are cached for a year and revalidated by ETag.
/// The type always comes from the format sniffed at upload, never from the uploader's file name: an original is
/// an attachment named after the upload with the real format's extension (a JPEG sent as <c>invoice.html</c>
/// downloads as <c>invoice.jpg</c>); previews and thumbnails are inline images.
/// </summary>
public static class PhotoFiles
{
    public const string CacheControl = "private, max-age=31536000, immutable";

    /// <summary>Longest base name a download keeps, in characters.</summary>
    private const int MaxBaseNameLength = 100;

    /// <summary>A file response in the OpenAPI document: thumbnails are WebP, previews JPEG, originals any format Keepsake takes.</summary>
    public static RouteHandlerBuilder ProducesPhotoFile(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<Stream>(StatusCodes.Status200OK, ImageFormat.All[0].ContentType, [.. ImageFormat.All.Skip(1).Select(f => f.ContentType)]);

    private static readonly PhotoVariant[] Variants = Enum.GetValues<PhotoVariant>();

    /// <summary>A variant as URLs name it: <c>thumbnail</c>, <c>large-thumbnail</c>, <c>preview</c>, <c>original</c>.</summary>
    public static string Name(PhotoVariant variant) => variant switch
    {
        PhotoVariant.Thumbnail => "thumbnail",
        PhotoVariant.LargeThumbnail => "large-thumbnail",
        PhotoVariant.Preview => "preview",
        _ => "original",
    };

    public static bool TryParseVariant(string text, out PhotoVariant variant)
    {
        variant = Variants.FirstOrDefault(v => string.Equals(Name(v), text, StringComparison.OrdinalIgnoreCase));
        return string.Equals(Name(variant), text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// What is served for <paramref name="variant"/>: a large thumbnail not made yet is answered with the thumbnail, under
    /// the thumbnail's own ETag, so no cache keeps the small one as the large one.
    /// </summary>
    public static PhotoVariant Available(Photo photo, PhotoVariant variant) =>
        variant == PhotoVariant.LargeThumbnail && !photo.HasLargeThumbnail ? PhotoVariant.Thumbnail : variant;

    public static async Task<IResult> ServeAsync(HttpContext context, IBlobStore blobs, Photo photo, PhotoVariant variant, CancellationToken cancellationToken)
    {
        variant = Available(photo, variant);
        var key = PhotoBlobs.Of(photo.OwnerId, photo.Id, variant);
        var (contentType, downloadName) = variant switch
        {
            PhotoVariant.Thumbnail or PhotoVariant.LargeThumbnail => ("image/webp", (string?)null),
            PhotoVariant.Preview => ("image/jpeg", null),
            _ => (ContentType(photo), DownloadName(photo)),
        };
        var stream = await blobs.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return MissingFile(photo);
        }
        context.Response.Headers.CacheControl = CacheControl;
        return TypedResults.Stream(stream, contentType, downloadName, entityTag: EntityTag(photo, Name(variant)),
            enableRangeProcessing: variant == PhotoVariant.Original);
    }

    /// <summary>The type of the original, from its sniffed format.</summary>
    public static string ContentType(Photo photo) => ImageFormat.FromName(photo.Format)?.ContentType ?? "application/octet-stream";

    /// <summary>A strong ETag for one rendition of a photo; <paramref name="rendition"/> tells the renditions apart.</summary>
    public static EntityTagHeaderValue EntityTag(Photo photo, string rendition) => EntityTag(SignedPhotoUrls.ContentOf(photo.Sha256), rendition);

    /// <summary>The same ETag from the content a signed URL names (<see cref="SignedPhotoUrls.ContentOf"/>).</summary>
    public static EntityTagHeaderValue EntityTag(string content, string rendition) => new($"\"{content}-{rendition}\"");

    /// <summary>A shared file whose location could not be removed: it is not served at all.</summary>
    public static IResult NotShareableWithoutPlace() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "File not available",
            detail: "This photo's file cannot be shared without its location; ask the person who shared it for the photo.");

    /// <summary>The answer for a file that storage does not have; <paramref name="photo"/>, when given, tells a photo fsck marked missing.</summary>
    public static IResult MissingFile(Photo? photo = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "File missing",
            detail: photo?.OriginalMissingSince is { } since
                ? string.Create(CultureInfo.InvariantCulture, $"This photo's original has been missing from storage since {since:yyyy-MM-dd} (found by 'keepsake fsck'); its owner can delete the photo.")
                : "This photo's file is missing from storage; an administrator can run 'keepsake fsck' to find out more.");

    /// <summary>
    /// The name a download is saved under: the uploaded name without its folder or extension, reduced to
    /// letters, digits and a few safe marks (no control, quote, slash or other character a browser or shell
    /// could misread), with the extension of <paramref name="format"/> (by default the photo's real format): the
    /// uploaded one when it is a usual ending of that format (<c>scan.tiff</c> stays <c>.tiff</c>), else the format's own.
    /// </summary>
    public static string DownloadName(Photo photo, ImageFormat? format = null)
    {
        format ??= ImageFormat.FromName(photo.Format);
        var uploaded = Path.GetExtension(photo.OriginalFileName);
        var extension = format is null ? ".bin" : format.HasExtension(uploaded) ? uploaded : format.Extension;
        return SafeBaseName(photo.OriginalFileName) + extension;
    }

    internal static string SafeBaseName(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(Path.GetFileName(fileName.Replace('\\', '/')));
        var safe = new StringBuilder(Math.Min(name.Length, MaxBaseNameLength));
        foreach (var rune in name.EnumerateRunes())
        {
            if (safe.Length >= MaxBaseNameLength)
            {
                break;
            }
            var allowed = Rune.IsLetterOrDigit(rune) || rune.Value is '-' or '_' or '.' or ' ' or '(' or ')' or '+' or ','
                || Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark;
            safe.Append(allowed ? rune.ToString() : "_");
        }
        // No leading dot (a hidden file), no trailing dot or space (Windows drops them).
        var trimmed = safe.ToString().Normalize(NormalizationForm.FormC).Trim().Trim('.').Trim();
        return trimmed.Length == 0 || trimmed.All(c => c == '_') ? "photo" : trimmed;
    }
}
