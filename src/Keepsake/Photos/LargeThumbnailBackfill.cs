using Keepsake.Data;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>
/// Makes the large thumbnail of the photos stored before there was one, from their originals, in order of id: the file is
/// written, then the photo marked, so a run that stops (a restart, a crash) is continued by the next and leaves at worst a
/// file fsck expects. A photo deleted meanwhile gets no mark, and the file just written for it is removed again. A photo
/// whose original cannot be read now (missing, damaged) is passed over and tried again by the next run.
/// </summary>
public sealed class LargeThumbnailBackfill(KeepsakeDbContext db, DerivedFiles derived, IBlobStore blobs)
{
    public const int DefaultBatchSize = 100;

    /// <summary>Makes the large thumbnails of every photo without one, a batch at a time; returns how many it made.</summary>
    public async Task<int> MakeAllAsync(int batchSize, CancellationToken cancellationToken)
    {
        var made = 0;
        var after = Guid.Empty;
        while (true)
        {
            var batch = await db.Photos.AsNoTracking()
                .Where(p => !p.HasLargeThumbnail && p.OriginalMissingSince == null && p.Id.CompareTo(after) > 0)
                .OrderBy(p => p.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return made;
            }
            foreach (var photo in batch)
            {
                made += await MakeAsync(photo, cancellationToken) ? 1 : 0;
            }
            after = batch[^1].Id;
        }
    }

    private async Task<bool> MakeAsync(Photo photo, CancellationToken cancellationToken)
    {
        if (await derived.RemakeAsync(photo, [PhotoVariant.LargeThumbnail], cancellationToken) is not null)
        {
            return false;
        }
        var marked = await db.Photos.Where(p => p.Id == photo.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.HasLargeThumbnail, true), cancellationToken);
        if (marked == 0)
        {
            await blobs.DeleteAsync(PhotoBlobs.LargeThumbnail(photo.OwnerId, photo.Id), cancellationToken);
        }
        return marked > 0;
    }
}

/// <summary>The server's one-off back-fill of large thumbnails at start (see <see cref="LargeThumbnailBackfill"/>).</summary>
internal sealed class LargeThumbnailBackfillService(IServiceScopeFactory scopes, ILogger<LargeThumbnailBackfillService> logger) : BackfillAtStart(scopes, logger)
{
    protected override string What => "a large thumbnail";

    protected override Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<LargeThumbnailBackfill>().MakeAllAsync(LargeThumbnailBackfill.DefaultBatchSize, cancellationToken);
}
