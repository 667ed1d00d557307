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

    /// <summary>Marks, unmarks and removes; returns how many copies went.</summary>
    public async Task<int> ApplyAsync(IBlobStore target, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - options.Value.DeletedRetention;
        var removed = await FinishInterruptedRemovalsAsync(target, cancellationToken);
        var held = (await db.Photos.Select(p => p.Sha256).Distinct().ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var copies = await db.PhotoCopies.Select(c => new { c.Sha256, c.UnheldSince }).ToListAsync(cancellationToken);
        foreach (var batch in copies.Where(c => c.UnheldSince is not null && held.Contains(c.Sha256)).Select(c => c.Sha256).Chunk(Batch))
        {
            await db.PhotoCopies.Where(c => batch.Contains(c.Sha256)).ExecuteUpdateAsync(c => c.SetProperty(x => x.UnheldSince, (DateTime?)null), cancellationToken);
        }
        foreach (var batch in copies.Where(c => c.UnheldSince is null && !held.Contains(c.Sha256)).Select(c => c.Sha256).Chunk(Batch))
        {
            await Unheld(batch).Where(c => c.UnheldSince == null).ExecuteUpdateAsync(c => c.SetProperty(x => x.UnheldSince, now), cancellationToken);
        }
        foreach (var batch in copies.Where(c => c.UnheldSince <= cutoff && !held.Contains(c.Sha256)).Select(c => c.Sha256).Chunk(Batch))
        {
            // The row before the copy, each still unheld at that moment: a photo stored since keeps it, or finds no row and is copied again.
            await Unheld(batch).Where(c => c.UnheldSince <= cutoff).ExecuteDeleteAsync(cancellationToken);
            var kept = await db.PhotoCopies.Where(c => batch.Contains(c.Sha256)).Select(c => c.Sha256).ToListAsync(cancellationToken);
            removed += await RemoveCopiesAsync(target, batch.Except(kept, StringComparer.Ordinal).ToList(), cancellationToken);
        }
        return removed;
    }

    private IQueryable<PhotoCopy> Unheld(string[] contents) =>
        db.PhotoCopies.Where(c => contents.Contains(c.Sha256) && !db.Set<Photo>().Any(p => p.Sha256 == c.Sha256));

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
