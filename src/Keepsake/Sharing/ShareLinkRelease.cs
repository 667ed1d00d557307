using Keepsake.Albums;
using Keepsake.Data;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Sharing;

/// <summary>
/// An album's links go with it (cascade), and their cached entries must go too. Read under the album's lock, which
/// creating a link takes as well, the list misses none.
/// </summary>
internal sealed class ShareLinkRelease(KeepsakeDbContext db, ShareLinkCache shareLinks) : IAlbumDeletingHandler
{
    public async Task<Func<CancellationToken, Task>> AlbumDeletingAsync(Guid albumId, CancellationToken cancellationToken)
    {
        var hashes = await db.ShareLinks.Where(l => l.AlbumId == albumId).Select(l => l.TokenHash).ToListAsync(cancellationToken);
        return forgetting => shareLinks.ForgetAsync(hashes, forgetting);
    }
}
