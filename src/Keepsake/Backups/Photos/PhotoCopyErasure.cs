using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// An erasure's step on the photo backup target: every content the user holds (their photos) or held (their deleted
/// photos still in the grace period) that no other user's photo holds loses its copy at once, without waiting for the
/// grace. The erasure runs it before the user's photo rows go, and a restore's ledger replay runs it on the restored rows.
/// The <c>photo_copies</c> row goes before its copy (never a row pointing at nothing) and the user's former-holder rows
/// last: they, with the photo rows, are what a run after a crash finds the same contents by.
/// </summary>
internal sealed class PhotoCopyErasure(KeepsakeDbContext db, IOptions<PhotoBackupOptions> options) : IUserCopiesErasure
{
    public async Task<int> EraseCopiesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var held = await db.Photos.Where(p => p.OwnerId == userId).Select(p => p.Sha256)
            .Union(db.PhotoCopyFormerHolders.Where(h => h.OwnerId == userId).Select(h => h.Sha256))
            .ToListAsync(cancellationToken);
        var removed = 0;
        foreach (var batch in held.Chunk(500))
        {
            var shared = await db.Photos.Where(p => batch.Contains(p.Sha256) && p.OwnerId != userId).Select(p => p.Sha256).Distinct().ToListAsync(cancellationToken);
            var unshared = batch.Except(shared, StringComparer.Ordinal).ToList();
            // Checked again in the statement: a photo of another user's stored since keeps the content's copy.
            await db.PhotoCopies
                .Where(c => unshared.Contains(c.Sha256) && !db.Set<Photo>().Any(p => p.Sha256 == c.Sha256 && p.OwnerId != userId))
                .ExecuteDeleteAsync(cancellationToken);
            var kept = await db.PhotoCopies.Where(c => unshared.Contains(c.Sha256)).Select(c => c.Sha256).ToListAsync(cancellationToken);
            removed += await DeleteCopiesAsync(unshared.Except(kept, StringComparer.Ordinal).ToList(), cancellationToken);
        }
        await db.PhotoCopyFormerHolders.Where(h => h.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }

    /// <summary>
    /// Deletes copies whose rows are gone. With no target configured there is nothing Keepsake can reach: copies on a
    /// target it was pointed at earlier stay there, the operator's to remove.
    /// </summary>
    private async Task<int> DeleteCopiesAsync(IReadOnlyList<string> contents, CancellationToken cancellationToken)
    {
        if (contents.Count == 0 || !options.Value.IsEnabled)
        {
            return 0;
        }
        using var target = options.Value.CreateTarget();
        var deleted = 0;
        foreach (var sha256 in contents)
        {
            if (await target.Store.ExistsAsync(PhotoCopier.KeyOf(sha256), cancellationToken))
            {
                await target.Store.DeleteAsync(PhotoCopier.KeyOf(sha256), cancellationToken);
                deleted++;
            }
        }
        return deleted;
    }
}
