using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>A photo checked and rendered whose files are not written yet: its staged original, its row, its preview and thumbnail.</summary>
public sealed record ReadyPhoto(StagedFile File, Photo Photo, RenderedPhoto Rendered);

/// <summary>What the checks of a staged file came to: a photo ready to store, the owner's photo with the same bytes, or why not.</summary>
public sealed record CheckedFile(ReadyPhoto? Ready, Photo? Existing, Rejection? Rejection);

/// <summary>
/// The two steps of storing one photo, apart, for an import: <see cref="CheckAsync"/> needs no storage and runs for
/// several photos at once; <see cref="AddAsync"/> writes the files of one, in the order the photos come.
/// </summary>
public sealed partial class PhotoIngestor
{
    /// <summary>
    /// Everything of a staged file that needs no storage: is it already the owner's, is it a photo Keepsake takes, and its
    /// row, preview and thumbnail. Imports run this for several photos at once, then store them one by one in order.
    /// </summary>
    internal async Task<CheckedFile> CheckAsync(Guid ownerId, StagedFile file, CancellationToken cancellationToken)
    {
        var existing = await db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.OwnerId == ownerId && p.Sha256 == file.Sha256, cancellationToken);
        if (existing is not null)
        {
            return new CheckedFile(null, existing, null);
        }

        // Metadata first: a file whose structure is refused never reaches the decoders.
        var read = metadata.Read(file.Path, file.Format, file.FileName, file.ModifiedAt);
        if (read.Rejection is not null)
        {
            return new CheckedFile(null, null, read.Rejection);
        }
        var rendered = await images.RenderAsync(file.Path, file.FileName, file.Format, cancellationToken);
        if (rendered.Photo is not { } made)
        {
            return new CheckedFile(null, null, rendered.Rejection);
        }
        return new CheckedFile(new ReadyPhoto(file, NewPhoto(ownerId, file, made, read.Metadata), made), null, null);
    }

    /// <summary>
    /// Writes a checked photo's original, preview and thumbnails and adds it to <paramref name="batch"/>; a photo with the
    /// bytes of one already in the batch is added as its duplicate, with no files. When a write fails, the files of this
    /// photo written so far are deleted (those of the batch's other photos stay) and the failure thrown.
    /// </summary>
    internal async Task AddAsync(PreparedBatch batch, ReadyPhoto ready, CancellationToken cancellationToken)
    {
        if (batch.Photos.FirstOrDefault(p => p.Photo.Sha256 == ready.File.Sha256) is { } sameInBatch)
        {
            batch.Photos.Add(sameInBatch with { FileName = ready.File.FileName, Duplicate = true });
            return;
        }
        var (ownerId, photoId) = (ready.Photo.OwnerId, ready.Photo.Id);
        var written = new List<string>();
        try
        {
            await WriteAsync(written, PhotoBlobs.Original(ownerId, photoId), File.OpenRead(ready.File.Path), cancellationToken);
            await WriteAsync(written, PhotoBlobs.Preview(ownerId, photoId), new MemoryStream(ready.Rendered.Preview), cancellationToken);
            await WriteAsync(written, PhotoBlobs.Thumbnail(ownerId, photoId), new MemoryStream(ready.Rendered.Thumbnail), cancellationToken);
            await WriteAsync(written, PhotoBlobs.LargeThumbnail(ownerId, photoId), new MemoryStream(ready.Rendered.LargeThumbnail), cancellationToken);
        }
        catch
        {
            await DeleteBlobsAsync(written);
            throw;
        }
        batch.WrittenKeys.AddRange(written);
        batch.Photos.Add(new IngestedPhoto(ready.File.FileName, ready.Photo, Duplicate: false));
    }

    private async Task WriteAsync(List<string> written, string key, Stream content, CancellationToken cancellationToken)
    {
        await using (content)
        {
            written.Add(key);
            await blobs.WriteAsync(key, content, cancellationToken);
        }
    }

    /// <summary>Deletes the files a batch wrote, when its rows will not be committed.</summary>
    internal Task DeleteWrittenAsync(PreparedBatch batch) => DeleteBlobsAsync(batch.WrittenKeys);
}
