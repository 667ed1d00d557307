using System.Security.Cryptography;
using Keepsake.Backups;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Integrity;

/// <summary>What was wrong with an original in primary storage: gone, or bytes that no longer hash to the photo's SHA-256.</summary>
public enum OriginalDamage
{
    Missing,
    Damaged,
}

/// <summary>
/// One original that was missing or damaged, and whether its copy brought it back; <see cref="Failure"/> says why not
/// (no copy, a corrupt copy, a fault) and <see cref="ActualSha256"/> what a damaged original's bytes hash to.
/// </summary>
public sealed record OriginalRestore(Guid PhotoId, string Key, string Sha256, OriginalDamage Damage, string? ActualSha256, long Bytes, string? Failure)
{
    public bool Restored => Failure is null;
}

/// <summary>What <c>fsck --repair-from-backup</c> found and did before the ordinary repair: originals read and hashed, and each bad one.</summary>
public sealed record OriginalRestoreReport(int Checked, IReadOnlyList<OriginalRestore> Originals)
{
    public int Restored => Originals.Count(o => o.Restored);

    public int NotRestored => Originals.Count(o => !o.Restored);
}

/// <summary>
/// Reads every photo's original in primary storage and hashes it; one that is missing or whose bytes no longer match is
/// written again from its copy on the photo backup target (by its SHA-256, whatever <c>photo_copies</c> records), through a
/// hash check, so a copy that does not match is never written: the store writes atomically and the check fails the last
/// read, before the write completes. A damaged original with no good copy is left as it is. A copy found missing or corrupt
/// is no longer recorded as copied, as <c>backup verify --photos</c> does.
/// </summary>
public sealed class OriginalRestorer(KeepsakeDbContext db, IBlobStore primary, IOptions<PhotoBackupOptions> options, KeepsakeMetrics metrics)
{
    public async Task<OriginalRestoreReport> RunAsync(IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        options.Value.ThrowIfDisabled("there are no photo copies to repair from", "Set it to the target 'keepsake backup photos' copied to.");
        using var target = options.Value.CreateTarget();
        var photos = await db.Photos.AsNoTracking()
            .OrderBy(p => p.OwnerId).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.OwnerId, p.Sha256, p.SizeBytes })
            .ToListAsync(cancellationToken);
        var originals = new List<OriginalRestore>();
        for (var index = 0; index < photos.Count; index++)
        {
            var photo = photos[index];
            var key = PhotoBlobs.Original(photo.OwnerId, photo.Id);
            progress?.Report(new BackupProgress($"checking {key}", index + 1, photos.Count));
            var actual = await HashAsync(key, cancellationToken);
            if (actual == photo.Sha256)
            {
                continue;
            }
            var damage = actual is null ? OriginalDamage.Missing : OriginalDamage.Damaged;
            var failure = await RestoreAsync(target.Store, key, photo.Sha256, cancellationToken);
            originals.Add(new OriginalRestore(photo.Id, key, photo.Sha256, damage, actual, failure is null ? photo.SizeBytes : 0, failure));
        }
        metrics.FsckRepaired("original_restored", originals.Count(o => o.Restored));
        return new OriginalRestoreReport(photos.Count, originals);
    }

    /// <summary>What the original's bytes hash to, or null when it is not there.</summary>
    private async Task<string?> HashAsync(string key, CancellationToken cancellationToken)
    {
        await using var original = await primary.OpenReadAsync(key, cancellationToken);
        return original is null ? null : Convert.ToHexStringLower(await SHA256.HashDataAsync(original, cancellationToken));
    }

    /// <summary>Writes the original again from its copy; returns why it could not, or null.</summary>
    private async Task<string?> RestoreAsync(IBlobStore target, string key, string sha256, CancellationToken cancellationToken)
    {
        var copyKey = PhotoCopier.KeyOf(sha256);
        try
        {
            await using var copy = await target.OpenReadAsync(copyKey, cancellationToken);
            if (copy is null)
            {
                var recorded = await PhotoCopyRecords.ForgetAsync(db, [sha256], cancellationToken) > 0;
                return $"no copy: the photo backup target has no {copyKey}{(recorded ? " (it was recorded as copied; no longer)" : "")}";
            }
            await using var hashing = new HashCheckingStream(copy, sha256);
            await primary.WriteAsync(key, hashing, cancellationToken);
            return null;
        }
        catch (HashMismatchException e)
        {
            await PhotoCopyRecords.ForgetAsync(db, [sha256], cancellationToken);
            return $"its copy {copyKey} is corrupt (its bytes hash to {e.Actual}); nothing was written";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            return $"restoring it from {copyKey} failed: {e.Message}";
        }
    }
}
