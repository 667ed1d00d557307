using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// The grace for deleted content, applied by each run of <c>backup photos</c>: a copy whose content no photo holds any
/// more is marked with the time a run first saw it so (<see cref="PhotoCopy.UnheldSince"/>), unmarked if a photo holds
/// it again, and removed once <see cref="PhotoBackupOptions.DeletedRetention"/> has passed. Content a photo holds, a photo
/// marked missing included (its copy is how it comes back), is never removed. The database decides alone: restored to
/// an older backup, it holds what it held then, and the grace starts again from that.
/// </summary>
public sealed class PhotoCopyRetention(KeepsakeDbContext db, IOptions<PhotoBackupOptions> options, TimeProvider clock)
{
    private const int Batch = 500;

    /// <summary>Marks, unmarks and removes, each in statements over the whole table; returns how many copies went.</summary>
    public async Task<int> ApplyAsync(IBlobStore target, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - options.Value.DeletedRetention;
        var removed = await FinishInterruptedRemovalsAsync(target, cancellationToken);
        await db.PhotoCopies.Where(c => c.UnheldSince != null && db.Set<Photo>().Any(p => p.Sha256 == c.Sha256))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.UnheldSince, (DateTime?)null), cancellationToken);
        await Unheld().Where(c => c.UnheldSince == null).ExecuteUpdateAsync(c => c.SetProperty(x => x.UnheldSince, now), cancellationToken);
        while (await Unheld().Where(c => c.UnheldSince <= cutoff).Select(c => c.Sha256).OrderBy(s => s).Take(Batch).ToArrayAsync(cancellationToken) is { Length: > 0 } batch)
        {
            // The row before the copy, each still unheld at that moment: a photo stored since keeps it, or finds no row and is copied again.
            await Unheld().Where(c => batch.Contains(c.Sha256) && c.UnheldSince <= cutoff).ExecuteDeleteAsync(cancellationToken);
            var kept = await db.PhotoCopies.Where(c => batch.Contains(c.Sha256)).Select(c => c.Sha256).ToListAsync(cancellationToken);
            removed += await RemoveCopiesAsync(target, batch.Except(kept, StringComparer.Ordinal).ToList(), cancellationToken);
        }
        return removed;
    }

    private IQueryable<PhotoCopy> Unheld() => db.PhotoCopies.Where(c => !db.Set<Photo>().Any(p => p.Sha256 == c.Sha256));

    /// <summary>
    /// A removal that stopped after the row went leaves its copy and its former-holder rows: content with former holders
    /// but neither a row nor a photo is such a copy (or content deleted before it was ever copied), removed here.
    /// </summary>
    private async Task<int> FinishInterruptedRemovalsAsync(IBlobStore target, CancellationToken cancellationToken)
    {
        var leftovers = await db.PhotoCopyFormerHolders
            .Where(h => !db.Set<PhotoCopy>().Any(c => c.Sha256 == h.Sha256) && !db.Set<Photo>().Any(p => p.Sha256 == h.Sha256))
            .Select(h => h.Sha256).Distinct().ToListAsync(cancellationToken);
        var removed = 0;
        foreach (var batch in leftovers.Chunk(Batch))
        {
            removed += await RemoveCopiesAsync(target, batch, cancellationToken);
        }
        return removed;
    }

    /// <summary>Deletes copies whose rows are gone, then their former-holder rows, which no longer point at anything.</summary>
    private async Task<int> RemoveCopiesAsync(IBlobStore target, IReadOnlyList<string> contents, CancellationToken cancellationToken)
    {
        var removed = await PhotoCopier.DeleteCopiesAsync(target, contents, cancellationToken);
        await db.PhotoCopyFormerHolders.Where(h => contents.Contains(h.Sha256)).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }
}
