using Keepsake.Accounts.DeviceKeys;
using Keepsake.Albums;
using Keepsake.Backups;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Sharing;
using Keepsake.Storage;
using Keepsake.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Integrity;

/// <summary>
/// Checks that every photo row has its files and every file its row, and with <c>repair</c> puts right what can be
/// put right without losing anything: derived files are remade, photos whose original is gone are marked missing
/// (reversibly: the mark is cleared when the original is back), and files no photo references are removed, checked
/// again just before. No row is ever deleted. A file no photo references is:
/// <list type="bullet">
/// <item>an erasure leftover when it lies in the folder of a user the erasure ledger names (whatever its age: an upload
/// racing the erasure, or a crash in the middle of one, can leave it);</item>
/// <item>recent when younger than the minimum age, since an upload in progress writes its files before its row;</item>
/// <item>held when it was written between a backup (less <see cref="StoreTimeTolerance"/>) and its restore, while
/// the restore's safety backup (which may hold its photo) is kept;</item>
/// <item>an orphan otherwise.</item>
/// </list>
/// </summary>
public sealed partial class Fsck(
    KeepsakeDbContext db,
    IBlobStore blobs,
    ErasureLedger ledger,
    RestoreHistory restores,
    DerivedFiles derived,
    KeepsakeMetrics metrics,
    TimeProvider time)
{
    /// <summary>
    /// How far before a backup a file written after it may seem to be: S3 stores (and s3rver) give times to the whole
    /// second, by their own clock. Holding a file a little too long is safe; removing one a backup may lack is not.
    /// </summary>
    public static readonly TimeSpan StoreTimeTolerance = TimeSpan.FromMinutes(1);

    public async Task<FsckReport> RunAsync(bool repair, TimeSpan minimumOrphanAge, CancellationToken cancellationToken)
    {
        var integrity = await CheckDatabaseAsync(cancellationToken);
        var photos = new Dictionary<Guid, StoredPhoto>();
        var expected = new Dictionary<string, (Guid PhotoId, PhotoVariant Variant)>(StringComparer.Ordinal);
        await foreach (var photo in db.Photos.AsNoTracking().Select(p => new StoredPhoto(p.Id, p.OwnerId, p.OriginalMissingSince, p.TrashedAt != null, p.HasLargeThumbnail))
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            photos[photo.Id] = photo;
            expected[PhotoBlobs.Original(photo.OwnerId, photo.Id)] = (photo.Id, PhotoVariant.Original);
            expected[PhotoBlobs.Preview(photo.OwnerId, photo.Id)] = (photo.Id, PhotoVariant.Preview);
            expected[PhotoBlobs.Thumbnail(photo.OwnerId, photo.Id)] = (photo.Id, PhotoVariant.Thumbnail);
            // Expected before the row says it is made too: the back-fill writes the file, then sets the mark.
            expected[PhotoBlobs.LargeThumbnail(photo.OwnerId, photo.Id)] = (photo.Id, PhotoVariant.LargeThumbnail);
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        var unreferenced = new List<BlobInfo>();
        foreach (var prefix in PhotoBlobs.Prefixes)
        {
            await foreach (var blob in blobs.ListAsync(prefix, cancellationToken))
            {
                present.Add(blob.Key);
                if (!expected.ContainsKey(blob.Key))
                {
                    unreferenced.Add(blob);
                }
            }
        }
        await ListUploadPartsAsync(present, unreferenced, cancellationToken);
        var sorted = await SortUnreferencedAsync(unreferenced, minimumOrphanAge, cancellationToken);
        var missing = expected.Where(e => !present.Contains(e.Key)
                && (e.Value.Variant != PhotoVariant.LargeThumbnail || photos[e.Value.PhotoId].HasLargeThumbnail))
            .Select(e => (File: e, Photo: photos[e.Value.PhotoId]))
            .Select(m => new MissingFile(m.Photo.Id, m.Photo.OwnerId, m.File.Key, m.File.Value.Variant,
                m.File.Value.Variant == PhotoVariant.Original && m.Photo.OriginalMissingSince is not null ? MissingFileRepair.PhotoMarkedMissing : MissingFileRepair.None))
            .ToList();
        var foundAgain = photos.Values
            .Where(p => p.OriginalMissingSince is not null && present.Contains(PhotoBlobs.Original(p.OwnerId, p.Id)))
            .Select(p => p.Id).ToList();
        var marked = photos.Values.Where(p => p.OriginalMissingSince is not null)
            .Select(p => new MissingPhoto(p.Id, p.OriginalMissingSince!.Value, MarkedNow: false)).ToList();

        var removed = new HashSet<string>(StringComparer.Ordinal);
        if (repair)
        {
            await ClearMarksAsync(foundAgain, marked, cancellationToken);
            missing = await RepairMissingAsync(missing, marked, cancellationToken);
            await RemoveUnreferencedAsync(sorted.Orphans, "orphan_removed", removed, cancellationToken);
            await RemoveUnreferencedAsync([.. sorted.ErasureLeftovers.Select(l => l.File)], "erasure_leftover_removed", removed, cancellationToken);
        }
        return new FsckReport(repair, integrity, photos.Count, photos.Values.Count(p => p.InTrash), present.Count, missing, marked, foundAgain,
            sorted.Orphans, sorted.ErasureLeftovers, sorted.Held, sorted.Recent, removed);
    }

    /// <summary>
    /// The parts of resumable uploads: those of an upload in progress are expected; those of an upload whose row is gone
    /// (a crash between removing the row and its parts) or has expired are unreferenced, sorted as any other file. An
    /// upload never comes back once gone or expired, so nothing needs checking again before they are removed.
    /// </summary>
    private async Task ListUploadPartsAsync(HashSet<string> present, List<BlobInfo> unreferenced, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var inProgress = (await db.PendingUploads.AsNoTracking().Where(u => u.ExpiresAt > now).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        await foreach (var blob in blobs.ListAsync(UploadParts.Prefix, cancellationToken))
        {
            present.Add(blob.Key);
            if (UploadParts.UploadOf(blob.Key) is not { } upload || !inProgress.Contains(upload.UploadId))
            {
                unreferenced.Add(blob);
            }
        }
    }

    /// <summary>The parts of a photo row fsck reads.</summary>
    /// <summary>A photo in the trash keeps its files until it is purged: they are checked like any other's.</summary>
    private readonly record struct StoredPhoto(Guid Id, Guid OwnerId, DateTime? OriginalMissingSince, bool InTrash, bool HasLargeThumbnail);

    private sealed record Unreferenced(List<BlobInfo> Orphans, List<ErasureLeftover> ErasureLeftovers, List<HeldFile> Held, List<BlobInfo> Recent);

    private async Task<Unreferenced> SortUnreferencedAsync(List<BlobInfo> files, TimeSpan minimumOrphanAge, CancellationToken cancellationToken)
    {
        var sorted = new Unreferenced([], [], [], []);
        if (files.Count == 0)
        {
            return sorted;
        }
        var erased = new HashSet<Guid>();
        await foreach (var entry in ledger.ReadAsync(cancellationToken))
        {
            erased.Add(entry.UserId);
        }
        var kept = await restores.WithSafetyBackupKeptAsync(cancellationToken);
        var cutoff = time.GetUtcNow() - minimumOrphanAge;
        foreach (var file in files)
        {
            if ((PhotoBlobs.OwnerIdOf(file.Key) ?? UploadParts.UploadOf(file.Key)?.OwnerId) is { } owner && erased.Contains(owner))
            {
                sorted.ErasureLeftovers.Add(new ErasureLeftover(file, owner));
            }
            else if (file.LastModified > cutoff)
            {
                sorted.Recent.Add(file);
            }
            // An upload in progress when the backup was taken may have written its files up to the minimum age before;
            // the store's clock and its whole-second times may put a file written after the backup up to the tolerance before.
            else if (kept.LastOrDefault(r => r.BackupTakenAt - minimumOrphanAge - StoreTimeTolerance <= file.LastModified && file.LastModified <= r.RestoredAt) is { } restore)
            {
                sorted.Held.Add(new HeldFile(file, restore));
            }
            else
            {
                sorted.Orphans.Add(file);
            }
        }
        return sorted;
    }

    /// <summary>
    /// SQLite checks its own file. PostgreSQL has no cheap equivalent; it guards its pages itself, so a
    /// query on every table (which reads each one's visibility and heap) stands in for the check.
    /// </summary>
    private async Task<string> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            var lines = await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync(cancellationToken);
            return string.Join("; ", lines);
        }
        await db.Users.CountAsync(cancellationToken);
        await db.Photos.CountAsync(cancellationToken);
        await db.Albums.CountAsync(cancellationToken);
        await db.AlbumPhotos.CountAsync(cancellationToken);
        await db.ShareLinks.CountAsync(cancellationToken);
        await db.DeviceKeys.CountAsync(cancellationToken);
        await db.DataProtectionKeys.CountAsync(cancellationToken);
        return "ok";
    }
}
