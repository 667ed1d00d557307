using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Keepsake.Albums;

/// <summary>
/// Album changes that race neither the deletion of the album or of a photo, nor each other. Each runs in one transaction
/// whose first statement writes the album's row: where the album is gone already that writes nothing, and the answer is
/// "not found". Otherwise PostgreSQL holds the row's lock until the commit, so a delete of the album waits and then takes
/// what was written with it, another change of the same album waits its turn, and every later statement sees what the
/// one before committed; SQLite lets one writer in at a time, from the first write on.
/// </summary>
/// <remarks>
/// Every change takes its locks in one order, so no two wait for each other in a circle (a deadlock, which PostgreSQL
/// breaks only after a second): albums, then photos, then the rows that point at them (album photos, share links).
/// A photo about to be pointed at is locked too (<see cref="TakeAsync(IQueryable{Photo}, CancellationToken)"/>), so its
/// delete waits for the change instead of the insert failing on the foreign key; and a photo's delete lets go of the
/// covers it holds before anything else (<see cref="AlbumCoverRelease"/>).
/// </remarks>
public static class AlbumLock
{
    /// <summary>
    /// Runs <paramref name="change"/> in a transaction of its own. The change locks the album first (<see cref="TouchAsync"/>,
    /// <see cref="TakeAsync(IQueryable{Album}, CancellationToken)"/>, or an update of its own) and commits; returning without
    /// a commit rolls everything back.
    /// </summary>
    public static Task<T> RunAsync<T>(KeepsakeDbContext db, Func<IDbContextTransaction, Task<T>> change, CancellationToken cancellationToken) =>
        // The execution strategy (reconnecting on PostgreSQL) must own the transaction, so it can run it again whole.
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            // A second run starts from nothing tracked by the first.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            return await change(transaction);
        });

    /// <summary>Locks the album by stamping it as changed now; false when there is no such album.</summary>
    public static async Task<bool> TouchAsync(this IQueryable<Album> album, DateTime now, CancellationToken cancellationToken) =>
        await album.ExecuteUpdateAsync(a => a.SetProperty(x => x.UpdatedAt, now), cancellationToken) > 0;

    /// <summary>
    /// Locks the album without changing it (an UPDATE locks the row even when it writes what was there), for a change that
    /// leaves the album as it is: a new share link, or the album's delete; false when there is no such album.
    /// </summary>
    public static async Task<bool> TakeAsync(this IQueryable<Album> album, CancellationToken cancellationToken) =>
        await album.ExecuteUpdateAsync(a => a.SetProperty(x => x.UpdatedAt, x => x.UpdatedAt), cancellationToken) > 0;

    /// <summary>Locks the photos that still exist, without changing them, until the commit; returns how many there are.</summary>
    public static Task<int> TakeAsync(this IQueryable<Photo> photos, CancellationToken cancellationToken) =>
        photos.ExecuteUpdateAsync(p => p.SetProperty(x => x.SizeBytes, x => x.SizeBytes), cancellationToken);
}
