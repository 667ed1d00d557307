using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Backups.Photos;

/// <summary>
/// Writes down, in the transaction that deletes a photo, that its owner held its content: the copy outlives the photo by
/// the grace period, and an erasure of the owner within it must still find the copy (see <see cref="PhotoCopyErasure"/>).
/// Written whether or not the content is copied yet, so a run copying it at that moment is covered too.
/// </summary>
internal sealed class PhotoCopyFormerHolderRecord(KeepsakeDbContext db) : IPhotoDeletingHandler
{
    public Task PhotoDeletingAsync(Guid ownerId, Guid photoId, CancellationToken cancellationToken) =>
        // One statement, conflict-proof: two deletes of the same content by one owner at once both succeed.
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO photo_copy_former_holders ("OwnerId", "Sha256")
            SELECT "OwnerId", "Sha256" FROM photos WHERE "Id" = {photoId} AND "OwnerId" = {ownerId}
            ON CONFLICT DO NOTHING
            """, cancellationToken);
}
