using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// An erasure's step on the photo backup target: every content the user holds (their photos) or held (their deleted
/// photos still in the grace period) that no other user's photo holds loses its copy at once, without waiting for the
/// grace. The erasure writes down what the user holds as former holdings before their photo rows go and removes the copies
/// after (a restore's ledger replay does the same on the restored rows): a photo backup run at the same time either
/// recorded its copy before the rows went, and it is found here, or finds no photo holding the content when it would
/// record it, and takes its copy back (see <see cref="PhotoCopier"/>). The <c>photo_copies</c> row goes before its copy
/// (never a row pointing at nothing) and the user's former-holder rows last: they are what a run after a crash finds the
/// same contents by.
/// </summary>
internal sealed class PhotoCopyErasure(KeepsakeDbContext db, IOptions<PhotoBackupOptions> options) : IUserCopiesErasure
{
    /// <summary>The migration that made <c>photo_copy_former_holders</c>: a backup's scrub looks for it in older dumps.</summary>
    private const string FormerHoldersMigration = "_PhotoCopyGraceAndFormerHolders";

    public Task RecordHoldingsAsync(Guid userId, CancellationToken cancellationToken) =>
        // One statement, conflict-proof like a photo delete's record: a re-run, or a delete of the same photo at once, both succeed.
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO photo_copy_former_holders ("OwnerId", "Sha256")
            SELECT "OwnerId", "Sha256" FROM photos WHERE "OwnerId" = {userId}
            ON CONFLICT DO NOTHING
            """, cancellationToken);

    public async Task<int> EraseCopiesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var gone = await ForgetCopiesAsync(db, [userId], cancellationToken);
        var removed = await DeleteCopiesAsync(gone, cancellationToken);
        await db.PhotoCopyFormerHolders.Where(h => h.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }

    /// <summary>
    /// A backup's scrub, in its scratch database before the users go: the records of their copies go with them, so a
    /// restore of the scrubbed backup has no row for a copy the erasure removed. A dump from before the former holders
    /// were recorded is left as it is: its copy records are pruned, unheld, by the runs after a restore.
    /// </summary>
    public static async Task ScrubAsync(KeepsakeDbContext scratch, IReadOnlyCollection<Guid> users, CancellationToken cancellationToken)
    {
        if ((await scratch.Database.GetAppliedMigrationsAsync(cancellationToken)).Any(m => m.EndsWith(FormerHoldersMigration, StringComparison.Ordinal)))
        {
            await ForgetCopiesAsync(scratch, users, cancellationToken);
        }
    }

    /// <summary>
    /// Deletes the <c>photo_copies</c> rows of every content <paramref name="users"/> hold or held that no other user's
    /// photo holds, and returns those contents: each now without a row, whether it went now or in an earlier attempt.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ForgetCopiesAsync(KeepsakeDbContext db, IReadOnlyCollection<Guid> users, CancellationToken cancellationToken)
    {
        var held = await db.Photos.Where(p => users.Contains(p.OwnerId)).Select(p => p.Sha256)
            .Union(db.PhotoCopyFormerHolders.Where(h => users.Contains(h.OwnerId)).Select(h => h.Sha256))
            .ToListAsync(cancellationToken);
        var gone = new List<string>();
        foreach (var batch in held.Chunk(500))
        {
            var shared = await db.Photos.Where(p => batch.Contains(p.Sha256) && !users.Contains(p.OwnerId)).Select(p => p.Sha256).Distinct().ToListAsync(cancellationToken);
            var unshared = batch.Except(shared, StringComparer.Ordinal).ToList();
            // Checked again in the statement: a photo of another user's stored since keeps the content's copy.
            await db.PhotoCopies
                .Where(c => unshared.Contains(c.Sha256) && !db.Set<Photo>().Any(p => p.Sha256 == c.Sha256 && !users.Contains(p.OwnerId)))
                .ExecuteDeleteAsync(cancellationToken);
            var kept = await db.PhotoCopies.Where(c => unshared.Contains(c.Sha256)).Select(c => c.Sha256).ToListAsync(cancellationToken);
            gone.AddRange(unshared.Except(kept, StringComparer.Ordinal));
        }
        return gone;
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
        return await PhotoCopier.DeleteCopiesAsync(target.Store, contents, cancellationToken);
    }
}
