using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Integrity;

/// <summary>The repair half of <see cref="Fsck"/>: every step is checked against the database or the store again just before it acts.</summary>
public sealed partial class Fsck
{
    /// <summary>Repairs each photo's missing files; returns them with what was done (a photo deleted since the listing drops out).</summary>
    private async Task<List<MissingFile>> RepairMissingAsync(List<MissingFile> missing, List<MissingPhoto> marked, CancellationToken cancellationToken)
    {
        var repaired = new List<MissingFile>();
        foreach (var files in missing.GroupBy(m => m.PhotoId))
        {
            var original = files.FirstOrDefault(m => m.Variant == PhotoVariant.Original);
            if (original is { Repair: MissingFileRepair.PhotoMarkedMissing })
            {
                repaired.AddRange(files);
            }
            else if (original is not null)
            {
                if (await RepairMissingOriginalAsync(original, cancellationToken) is { } since)
                {
                    marked.Add(new MissingPhoto(original.PhotoId, since, MarkedNow: true));
                    repaired.AddRange(files.Select(m => m == original ? m with { Repair = MissingFileRepair.PhotoMarkedMissing } : m));
                }
            }
            else if (await db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == files.Key, cancellationToken) is { } photo)
            {
                var failure = await derived.RemakeAsync(photo, [.. files.Select(m => m.Variant)], cancellationToken);
                metrics.FsckRepaired("derived_remade", failure is null ? files.Count() : 0);
                repaired.AddRange(files.Select(m => m with { Repair = failure is null ? MissingFileRepair.Remade : MissingFileRepair.NotRemade, Detail = failure }));
            }
        }
        return repaired;
    }

    /// <summary>
    /// Marks the photo missing, so its owner sees a placeholder and can delete it; returns when, or null when the original
    /// is there after all or the photo went since the listing. <c>fsck --repair-from-backup</c> has tried the photo copies
    /// first (<see cref="OriginalRestorer"/>): what reaches here had no good copy.
    /// </summary>
    private async Task<DateTime?> RepairMissingOriginalAsync(MissingFile original, CancellationToken cancellationToken)
    {
        if (await blobs.ExistsAsync(original.Key, cancellationToken))
        {
            return null;
        }
        var now = DateTime.UnixEpoch.AddSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var updated = await db.Photos.Where(p => p.Id == original.PhotoId && p.OriginalMissingSince == null)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.OriginalMissingSince, now), cancellationToken);
        metrics.FsckRepaired("photo_marked_missing", updated);
        return updated == 0 ? null : now;
    }

    /// <summary>Photos whose original is back are shown again (a mark is only ever a finding, never a decision).</summary>
    private async Task ClearMarksAsync(List<Guid> foundAgain, List<MissingPhoto> marked, CancellationToken cancellationToken)
    {
        foreach (var id in foundAgain)
        {
            var cleared = await db.Photos.Where(p => p.Id == id && p.OriginalMissingSince != null)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.OriginalMissingSince, (DateTime?)null), cancellationToken);
            metrics.FsckRepaired("mark_cleared", cleared);
            marked.RemoveAll(m => m.PhotoId == id);
        }
    }

    private async Task RemoveUnreferencedAsync(List<BlobInfo> files, string action, HashSet<string> removed, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            // Checked again just before deleting: the row may have been committed since the listing.
            if (PhotoBlobs.PhotoIdOf(file.Key) is { } id
                && await db.Photos.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Id, p.OwnerId }).FirstOrDefaultAsync(cancellationToken) is { } photo
                && PhotoBlobs.All(photo.OwnerId, photo.Id).Contains(file.Key))
            {
                continue;
            }
            await blobs.DeleteAsync(file.Key, cancellationToken);
            removed.Add(file.Key);
        }
        metrics.FsckRepaired(action, files.Count(f => removed.Contains(f.Key)));
    }
}
