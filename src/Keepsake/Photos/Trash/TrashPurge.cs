using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos.Trash;

/// <summary>Empties the trash: of one user's photos on their asking, or of everyone's past the retention on a schedule.</summary>
public sealed class TrashPurge(KeepsakeDbContext db, PhotoDeletion deletion, TimeProvider clock, IOptions<TrashOptions> options)
{
    private const int BatchSize = 100;

    /// <summary>When a photo put in the trash at <paramref name="trashedAt"/> is deleted for good.</summary>
    public DateTime PurgeAt(DateTime trashedAt) => trashedAt + options.Value.Retention;

    /// <summary>Deletes every photo whose time in the trash is over; returns how many.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.Retention;
        return PurgeAsync(db.Photos.Where(p => p.TrashedAt != null && p.TrashedAt <= cutoff), cutoff, cancellationToken);
    }

    /// <summary>Deletes every photo in the user's trash now; returns how many.</summary>
    public Task<int> EmptyAsync(Guid ownerId, CancellationToken cancellationToken) =>
        PurgeAsync(db.Photos.Where(p => p.OwnerId == ownerId && p.TrashedAt != null), trashedBefore: null, cancellationToken);

    /// <summary>
    /// In batches, oldest first, each photo in a transaction of its own: a purge stopped half way has deleted whole photos
    /// only, and a photo restored (or trashed again) while the purge runs is left alone (<see cref="PhotoDeletion"/> checks again).
    /// </summary>
    private async Task<int> PurgeAsync(IQueryable<Photo> trashed, DateTime? trashedBefore, CancellationToken cancellationToken)
    {
        var purged = 0;
        (DateTime At, Guid Id)? after = null;
        while (true)
        {
            var next = trashed.AsNoTracking();
            if (after is (var afterAt, var afterId))
            {
                next = next.Where(p => p.TrashedAt > afterAt || (p.TrashedAt == afterAt && p.Id.CompareTo(afterId) > 0));
            }
            var batch = await next
                .OrderBy(p => p.TrashedAt).ThenBy(p => p.Id)
                .Select(p => new { p.OwnerId, p.Id, TrashedAt = p.TrashedAt!.Value }).Take(BatchSize).ToListAsync(cancellationToken);
            foreach (var photo in batch)
            {
                if (await deletion.DeleteFromTrashAsync(photo.OwnerId, photo.Id, trashedBefore, cancellationToken))
                {
                    purged++;
                }
            }
            if (batch.Count < BatchSize)
            {
                return purged;
            }
            after = (batch[^1].TrashedAt, batch[^1].Id);
        }
    }
}
