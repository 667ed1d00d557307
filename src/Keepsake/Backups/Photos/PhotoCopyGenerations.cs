using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// Which photo-copy generation a database needs to find every original it names, and whether the photo backup target
/// holds it. A database backup records the first (<see cref="BackupManifest.PhotoCopyGeneration"/>); <c>backup verify</c>
/// and <c>backup restore</c> ask the second.
/// </summary>
public sealed class PhotoCopyGenerations(IOptions<PhotoBackupOptions> options)
{
    /// <summary>
    /// The highest generation recorded, or the next one when a photo still waits for its copy (the run after this
    /// moment copies it); 0 for a library with nothing to copy.
    /// </summary>
    public static async Task<long> NeededAsync(KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var highest = await db.PhotoCopies.MaxAsync(c => (long?)c.Generation, cancellationToken) ?? 0;
        var copies = db.PhotoCopies;
        var waiting = await db.Photos.AnyAsync(p => p.OriginalMissingSince == null && !copies.Any(c => c.Sha256 == p.Sha256), cancellationToken);
        return waiting ? highest + 1 : highest;
    }

    /// <summary>What the photo backup target says about a backup that needs <paramref name="needed"/> (null: taken before backups recorded it).</summary>
    public async Task<PhotoCopyCheck> CheckAsync(long? needed, CancellationToken cancellationToken)
    {
        if (needed is null)
        {
            return new PhotoCopyCheck(true, "this backup was taken before backups recorded the photo copies they need; nothing to compare");
        }
        if (needed == 0)
        {
            return new PhotoCopyCheck(true, "this backup names no photo that needs a copy");
        }
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            return new PhotoCopyCheck(false, $"the photos have no second copy ({PhotoBackupOptions.Section}:Provider is 'none'); this backup needs photo-copy generation {needed}");
        }
        PhotoBackupRecord? record;
        try
        {
            using var target = settings.CreateTarget();
            record = await PhotoBackupRecords.ReadAsync(target.Store, cancellationToken);
        }
        // Any failure to read the target is reported, not thrown: this is a status, and the database backup or the page stands without it.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new PhotoCopyCheck(false, $"the photo backup target ({settings.Describe()}) cannot be read: {e.Message}");
        }
        if (record is null)
        {
            return new PhotoCopyCheck(false, $"the photo backup target ({settings.Describe()}) holds no photo backup run; this backup needs generation {needed}. " +
                "It is empty, or not the target the copies were made to: set Backups:Photos to that one, or run 'keepsake backup photos'");
        }
        return record.Generation >= needed
            ? new PhotoCopyCheck(true, $"the photo backup target holds copies through generation {record.Generation}; this backup needs {needed}")
            : new PhotoCopyCheck(false, $"the photo backup target holds copies only through generation {record.Generation}; this backup needs {needed}: " +
                "its newest photos have no second copy until 'keepsake backup photos' runs");
    }
}

/// <summary>Whether the photo backup target holds what a database backup needs, and the sentence saying so.</summary>
public sealed record PhotoCopyCheck(bool Holds, string Detail);
