using Keepsake.Storage;

namespace Keepsake.Photos;

/// <summary>
/// Makes a photo's preview and thumbnail again from its original, the way an upload made them. They are derived
/// files: fsck remakes a lost one rather than report the photo lost.
/// </summary>
public sealed class DerivedFiles(IBlobStore blobs, ImageProcessor images, UploadStaging staging)
{
    /// <summary>Writes the <paramref name="variants"/> (preview, thumbnail) of <paramref name="photo"/> again; returns why not when it cannot.</summary>
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
            if (variants.Contains(PhotoVariant.Preview))
            {
                using var preview = new MemoryStream(made.Preview);
                await blobs.WriteAsync(PhotoBlobs.Preview(photo.OwnerId, photo.Id), preview, cancellationToken);
            }
            if (variants.Contains(PhotoVariant.Thumbnail))
            {
                using var thumbnail = new MemoryStream(made.Thumbnail);
                await blobs.WriteAsync(PhotoBlobs.Thumbnail(photo.OwnerId, photo.Id), thumbnail, cancellationToken);
            }
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
