using Keepsake.Photos;
using Keepsake.Storage;

namespace Keepsake.Sharing;

/// <summary>
/// A photo's files for visitors of a link made without "include location": each without GPS, camera owner and
/// serial numbers (<see cref="PrivateMetadata"/>), cleaned on every request and never stored. Previews and
/// thumbnails are cleaned too, whatever the libvips that wrote them kept. An original in a format that cannot
/// be cleaned byte for byte, a damaged one or one too large to clean in memory is answered with the cleaned
/// preview instead (a JPEG named so): the place never leaks.
/// </summary>
public sealed class SharedPhotoFiles(IBlobStore blobs)
{
    /// <summary>Largest original cleaned in memory; larger ones are answered with the preview.</summary>
    public const long MaxCleanedBytes = 64L * 1024 * 1024;

    /// <summary>Cleaning holds a whole original in memory: a few at a time, whoever asks.</summary>
    private readonly SemaphoreSlim _cleaningOriginals = new(2);

    public async Task<IResult> ServeWithoutPlaceAsync(HttpContext context, Photo photo, PhotoVariant variant, CancellationToken cancellationToken)
    {
        variant = PhotoFiles.Available(photo, variant);
        if (variant is PhotoVariant.Thumbnail or PhotoVariant.LargeThumbnail)
        {
            return await ServeCleanedAsync(context, photo, PhotoBlobs.Of(photo.OwnerId, photo.Id, variant), ImageFormat.Webp, null,
                $"{PhotoFiles.Name(variant)}-shared", cancellationToken);
        }
        var format = ImageFormat.FromName(photo.Format);
        if (variant == PhotoVariant.Original && format is not null && PrivateMetadata.CanStrip(format) && photo.SizeBytes <= MaxCleanedBytes)
        {
            await _cleaningOriginals.WaitAsync(cancellationToken);
            try
            {
                var original = await ReadAsync(PhotoBlobs.Original(photo.OwnerId, photo.Id), cancellationToken);
                if (original is null)
                {
                    return PhotoFiles.MissingFile();
                }
                if (PrivateMetadata.Strip(original, format) is { } cleaned)
                {
                    return Serve(context, photo, cleaned, format, PhotoFiles.DownloadName(photo), "original-shared");
                }
            }
            finally
            {
                _cleaningOriginals.Release();
            }
        }
        return variant == PhotoVariant.Original
            ? await ServeCleanedAsync(context, photo, PhotoBlobs.Preview(photo.OwnerId, photo.Id), ImageFormat.Jpeg,
                PhotoFiles.DownloadName(photo, ImageFormat.Jpeg), "original-as-preview", cancellationToken)
            : await ServeCleanedAsync(context, photo, PhotoBlobs.Preview(photo.OwnerId, photo.Id), ImageFormat.Jpeg, null, "preview-shared", cancellationToken);
    }

    private async Task<IResult> ServeCleanedAsync(
        HttpContext context, Photo photo, string key, ImageFormat format, string? downloadName, string rendition, CancellationToken cancellationToken)
    {
        var file = await ReadAsync(key, cancellationToken);
        if (file is null)
        {
            return PhotoFiles.MissingFile();
        }
        if (PrivateMetadata.Strip(file, format) is not { } cleaned)
        {
            return PhotoFiles.NotShareableWithoutPlace();
        }
        return Serve(context, photo, cleaned, format, downloadName, rendition);
    }

    private static IResult Serve(HttpContext context, Photo photo, byte[] file, ImageFormat format, string? downloadName, string rendition)
    {
        context.Response.Headers.CacheControl = PhotoFiles.CacheControl;
        return TypedResults.Bytes(file, format.ContentType, downloadName, enableRangeProcessing: downloadName is not null,
            entityTag: PhotoFiles.EntityTag(photo, rendition));
    }

    private async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }
}
