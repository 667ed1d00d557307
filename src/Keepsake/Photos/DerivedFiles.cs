using Keepsake.Storage;

namespace Keepsake.Photos;

/// <summary>
/// Makes a photo's preview and thumbnails again from its original, the way an upload made them. They are derived
/// files: fsck remakes a lost one rather than report the photo lost.
/// </summary>
public sealed class DerivedFiles(IBlobStore blobs, ImageProcessor images, UploadStaging staging)
{
    /// <summary>Writes the <paramref name="variants"/> (preview, thumbnails) of <paramref name="photo"/> again; returns why not when it cannot.</summary>
    public async Task<string?> RemakeAsync(Photo photo, IReadOnlyCollection<PhotoVariant> variants, CancellationToken cancellationToken)
    {
        if (ImageFormat.FromName(photo.Format) is not { } format)
        {
            return $"its format '{photo.Format}' is not one this build decodes";
        }
        var file = staging.CreateFile(out var path);
        try
        {
            await using (file)
            {
                await using var original = await blobs.OpenReadAsync(PhotoBlobs.Original(photo.OwnerId, photo.Id), cancellationToken);
                if (original is null)
                {
                    return "its original is gone too";
                }
                await original.CopyToAsync(file, cancellationToken);
            }
            var rendered = await images.RenderAsync(path, photo.OriginalFileName, format, cancellationToken);
            if (rendered.Photo is not { } made)
            {
                return rendered.Rejection?.Detail ?? "its original could not be decoded";
            }
            foreach (var variant in variants)
            {
                using var bytes = new MemoryStream(variant switch
                {
                    PhotoVariant.Preview => made.Preview,
                    PhotoVariant.Thumbnail => made.Thumbnail,
                    PhotoVariant.LargeThumbnail => made.LargeThumbnail,
                    _ => throw new ArgumentException("an original is not derived", nameof(variants)),
                });
                await blobs.WriteAsync(PhotoBlobs.Of(photo.OwnerId, photo.Id, variant), bytes, cancellationToken);
            }
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
