using Keepsake.Data;
using Keepsake.Photos.Places;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

/// <summary>What happened to one file: stored, or already there (<see cref="Duplicate"/>).</summary>
public sealed record IngestedPhoto(string FileName, Photo Photo, bool Duplicate);

/// <summary>Either every file of a batch was ingested, or the first rejection and nothing stored.</summary>
public sealed record IngestResult(IReadOnlyList<IngestedPhoto> Photos, Rejection? Rejection, string? RejectedFileName);

/// <summary>Photos whose files are written to the blob store and whose rows are not yet committed.</summary>
public sealed class PreparedBatch
{
    internal List<IngestedPhoto> Photos { get; } = [];
    internal List<string> WrittenKeys { get; } = [];
}

/// <summary>
/// Turns uploaded files into photos. Files are written and flushed to the blob store first, and the
/// rows committed after, in one transaction per batch: a crash in between leaves orphan files that
/// <c>keepsake fsck</c> reports, never a row without its files.
/// </summary>
public sealed partial class PhotoIngestor(
    KeepsakeDbContext db,
    IBlobStore blobs,
    ImageProcessor images,
    PhotoMetadataReader metadata,
    PlaceNames places,
    UploadStaging staging,
    IOptions<PhotosOptions> options,
    IEnumerable<IPhotosStoredHandler> storedHandlers,
    TimeProvider time,
    ILogger<PhotoIngestor> logger)
{
    /// <summary>
    /// Stores a batch of staged files for one owner: all of them, or none when one is rejected. An owner erased or
    /// disabled before the batch commits gets <see cref="Rejection.OwnerGone"/>, and nothing of the batch stays.
    /// </summary>
    public async Task<IngestResult> IngestAsync(Guid ownerId, IReadOnlyList<StagedFile> files, CancellationToken cancellationToken)
    {
        if (!await OwnerTakesPhotosAsync(ownerId, cancellationToken))
        {
            return new IngestResult([], Rejection.OwnerGone, null);
        }
        PreparedBatch? batch;
        Rejection? rejection;
        string? rejectedFile;
        try
        {
            (batch, rejection, rejectedFile) = await PrepareAsync(ownerId, files, cancellationToken);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // An erasure sweeping the owner's folders removes files this batch is still writing.
            if (!await OwnerTakesPhotosAsync(ownerId, cancellationToken))
            {
                return new IngestResult([], Rejection.OwnerGone, null);
            }
            throw;
        }
        if (rejection is not null)
        {
            return new IngestResult([], rejection, rejectedFile);
        }
        var ingested = await StoreAsync(ownerId, batch!, cancellationToken);
        return ingested is null ? new IngestResult([], Rejection.OwnerGone, null) : new IngestResult(ingested, null, null);
    }

    /// <summary>
    /// Commits a batch whose files are written, then tells the <see cref="IPhotosStoredHandler"/>s of its new photos.
    /// Null when the owner was erased or disabled meanwhile: the batch's files are deleted, nothing is stored.
    /// </summary>
    internal async Task<IReadOnlyList<IngestedPhoto>?> StoreAsync(Guid ownerId, PreparedBatch batch, CancellationToken cancellationToken)
    {
        var ingested = await CommitAsync(ownerId, batch, cancellationToken);
        if (ingested is not null)
        {
            await RestoreFromTrashAsync(ownerId, ingested, cancellationToken);
        }
        var fresh = ingested?.Where(p => !p.Duplicate).Select(p => p.Photo).ToList() ?? [];
        if (fresh.Count > 0)
        {
            foreach (var handler in storedHandlers)
            {
                await handler.PhotosStoredAsync(fresh, cancellationToken);
            }
        }
        return ingested;
    }

    /// <summary>A photo sent again while it is in the trash is wanted after all: it comes back where it was, as a duplicate.</summary>
    private async Task RestoreFromTrashAsync(Guid ownerId, IReadOnlyList<IngestedPhoto> ingested, CancellationToken cancellationToken)
    {
        var trashed = ingested.Where(p => p.Duplicate && p.Photo.TrashedAt is not null).Select(p => p.Photo).Distinct().ToList();
        if (trashed.Count == 0)
        {
            return;
        }
        var ids = trashed.Select(p => p.Id).ToList();
        await db.Photos.Where(p => p.OwnerId == ownerId && ids.Contains(p.Id))
            .ExecuteUpdateAsync(photo => photo.SetProperty(p => p.TrashedAt, (DateTime?)null), cancellationToken);
        trashed.ForEach(p => p.TrashedAt = null);
    }

    /// <summary>Checks every file and writes the files of the new photos; nothing is visible yet.</summary>
    internal async Task<(PreparedBatch? Batch, Rejection? Rejection, string? RejectedFile)> PrepareAsync(Guid ownerId, IReadOnlyList<StagedFile> files, CancellationToken cancellationToken)
    {
        var batch = new PreparedBatch();
        try
        {
            foreach (var file in files)
            {
                var rejection = await PrepareOneAsync(ownerId, file, batch, cancellationToken);
                if (rejection is not null)
                {
                    await DeleteBlobsAsync(batch.WrittenKeys);
                    return (null, rejection, file.FileName);
                }
            }
            return (batch, null, null);
        }
        catch
        {
            await DeleteBlobsAsync(batch.WrittenKeys);
            throw;
        }
    }

    private async Task<Rejection?> PrepareOneAsync(Guid ownerId, StagedFile file, PreparedBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Photos.FirstOrDefault(p => p.Photo.Sha256 == file.Sha256) is { } sameInBatch)
        {
            batch.Photos.Add(sameInBatch with { FileName = file.FileName, Duplicate = true });
            return null;
        }
        var checkedFile = await CheckAsync(ownerId, file, cancellationToken);
        if (checkedFile.Existing is { } existing)
        {
            batch.Photos.Add(new IngestedPhoto(file.FileName, existing, Duplicate: true));
            return null;
        }
        if (checkedFile.Ready is { } ready)
        {
            await AddAsync(batch, ready, cancellationToken);
        }
        return checkedFile.Rejection;
    }

    /// <summary>
    /// An erasure disables the account first and deletes its row last (see UserErasure): an upload that began before
    /// either stops here, and one that slips past this check fails on the foreign key in <see cref="CommitAsync"/>.
    /// </summary>
    private Task<bool> OwnerTakesPhotosAsync(Guid ownerId, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Id == ownerId && u.LockoutEnd != KeepsakeUser.DisabledUntil, cancellationToken);

    /// <summary>
    /// Makes a prepared batch visible in one transaction. A concurrent upload of the same bytes wins the race cleanly.
    /// Null when the owner was erased or disabled meanwhile: the batch's files are deleted, nothing is stored.
    /// </summary>
    internal async Task<IReadOnlyList<IngestedPhoto>?> CommitAsync(Guid ownerId, PreparedBatch batch, CancellationToken cancellationToken)
    {
        if (!await OwnerTakesPhotosAsync(ownerId, cancellationToken))
        {
            await DeleteBlobsAsync(batch.WrittenKeys);
            return null;
        }
        var fresh = batch.Photos.Where(p => !p.Duplicate).Select(p => p.Photo).ToList();
        db.Photos.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return batch.Photos;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var hashes = fresh.Select(p => p.Sha256).ToList();
            var stored = await db.Photos.AsNoTracking().Where(p => p.OwnerId == ownerId && hashes.Contains(p.Sha256)).ToListAsync(cancellationToken);
            if (stored.Count == 0)
            {
                await DeleteBlobsAsync(batch.WrittenKeys);
                if (!await OwnerTakesPhotosAsync(ownerId, cancellationToken))
                {
                    // The account row went between the check above and the insert (its foreign key refused the rows).
                    return null;
                }
                throw;
            }
            // Another request stored some of the same bytes first: keep its photos, retry with the rest.
            LogLostRace(logger, stored.Count);
            var retry = new PreparedBatch();
            foreach (var ingested in batch.Photos)
            {
                var winner = stored.FirstOrDefault(s => s.Sha256 == ingested.Photo.Sha256);
                if (winner is not null && !ingested.Duplicate)
                {
                    await DeleteBlobsAsync(PhotoBlobs.All(ownerId, ingested.Photo.Id));
                }
                retry.Photos.Add(winner is null ? ingested : ingested with { Photo = winner, Duplicate = true });
            }
            retry.WrittenKeys.AddRange(batch.WrittenKeys);
            return await CommitAsync(ownerId, retry, cancellationToken);
        }
    }

    private Photo NewPhoto(Guid ownerId, StagedFile file, RenderedPhoto rendered, PhotoMetadata meta)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var timelineAt = meta.TakenAt is { } taken ? taken.AddMinutes(-(meta.TakenAtOffsetMinutes ?? 0)) : now;
        var photo = new Photo
        {
            Id = Guid.CreateVersion7(),
            OwnerId = ownerId,
            OriginalFileName = SafeFileName(file.FileName),
            Format = file.Format.Name,
            SizeBytes = file.Length,
            Sha256 = file.Sha256,
            Width = rendered.Width,
            Height = rendered.Height,
            Orientation = rendered.Orientation,
            UploadedAt = now,
            TakenAt = meta.TakenAt,
            TakenAtOffsetMinutes = meta.TakenAt is null ? null : meta.TakenAtOffsetMinutes,
            TakenAtSource = meta.TakenAtSource,
            TimelineAt = timelineAt,
            CameraMake = meta.CameraMake,
            CameraModel = meta.CameraModel,
            Lens = meta.Lens,
            ExposureTime = meta.ExposureTime,
            FNumber = meta.FNumber,
            Iso = meta.Iso,
            FocalLengthMm = meta.FocalLengthMm,
            Latitude = meta.Latitude,
            Longitude = meta.Longitude,
            HasLargeThumbnail = true,
        };
        PlaceLookup.Name(photo, places);
        return photo;
    }

    /// <summary>The name without any folder part or control characters, at most 255 characters.</summary>
    internal static string SafeFileName(string fileName)
    {
        var name = System.IO.Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            name = "photo";
        }
        return name.Length > 255 ? name[^255..] : name;
    }

    private async Task DeleteBlobsAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} photo(s) of a batch were stored by a concurrent upload first")]
    private static partial void LogLostRace(ILogger logger, int count);
}
