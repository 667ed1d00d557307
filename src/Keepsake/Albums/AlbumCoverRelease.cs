using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Albums;

/// <summary>
/// Lets go of the covers a photo holds just before its delete, in the delete's transaction: the albums are locked before
/// the photo, as every album change locks them (<see cref="AlbumLock"/>). Left to the foreign key's SET NULL, PostgreSQL
/// locks them after the photo, and in a restored database (whose constraints were made in another order) after the
/// photo's album rows too: deleting the album, or removing the photo from it, at the same moment deadlocked.
/// </summary>
internal sealed class AlbumCoverRelease(KeepsakeDbContext db) : IPhotoDeletingHandler
{
    public Task PhotoDeletingAsync(Guid ownerId, Guid photoId, CancellationToken cancellationToken) =>
        db.Albums.Where(a => a.OwnerId == ownerId && a.CoverPhotoId == photoId)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.CoverPhotoId, (Guid?)null), cancellationToken);
}
