using Keepsake.Data;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos.Trash;

/// <summary>
/// Deletes a photo from the trash for good: the row first, then the files, so a crash in between leaves orphan files for
/// fsck, never a row without files. The features whose rows point at the photo change them first, in the same
/// transaction (<see cref="IPhotoDeletingHandler"/>). Only a photo still in the trash is deleted: one restored meanwhile stays.
/// </summary>
public sealed class PhotoDeletion(KeepsakeDbContext db, IBlobStore blobs, IEnumerable<IPhotoDeletingHandler> deletingHandlers)
{
    /// <summary>False when the photo is not (or no longer) in its owner's trash, or went into it after <paramref name="trashedBefore"/>.</summary>
    public async Task<bool> DeleteFromTrashAsync(Guid ownerId, Guid photoId, DateTime? trashedBefore, CancellationToken cancellationToken)
    {
        // The execution strategy (reconnecting on PostgreSQL) must own the transaction, so it can run it again whole.
        var deleted = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var handler in deletingHandlers)
            {
                await handler.PhotoDeletingAsync(ownerId, photoId, cancellationToken);
            }
            var trashed = db.Photos.Where(p => p.Id == photoId && p.OwnerId == ownerId && p.TrashedAt != null);
            if (trashedBefore is { } before)
            {
                trashed = trashed.Where(p => p.TrashedAt <= before);
            }
            if (await trashed.ExecuteDeleteAsync(cancellationToken) == 0)
            {
                return false;
            }
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
        if (deleted)
        {
            foreach (var key in PhotoBlobs.All(ownerId, photoId))
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
            }
        }
        return deleted;
    }
}
