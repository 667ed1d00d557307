using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Operations;

/// <summary>A file a photo row needs that the blob store does not have.</summary>
public sealed record MissingFile(Guid PhotoId, Guid OwnerId, string Key);

public sealed record FsckReport(
    string DatabaseIntegrity,
    int PhotosChecked,
    int FilesChecked,
    IReadOnlyList<MissingFile> MissingFiles,
    IReadOnlyList<BlobInfo> OrphanFiles,
    IReadOnlyList<BlobInfo> RecentUnreferencedFiles,
    int OrphansRemoved)
{
    public bool DatabaseOk => DatabaseIntegrity == "ok";

    /// <summary>Clean when the database is sound, no row lacks a file and no orphan is left.</summary>
    public bool IsClean => DatabaseOk && MissingFiles.Count == 0 && OrphanFiles.Count == OrphansRemoved;
}

/// <summary>
/// Checks that every photo row has its files and every file its row. Files younger than the minimum age
/// are left alone, since an upload in progress writes its files before its row.
/// </summary>
public sealed class Fsck(KeepsakeDbContext db, IBlobStore blobs, TimeProvider time)
{
    public async Task<FsckReport> RunAsync(bool repair, TimeSpan minimumOrphanAge, CancellationToken cancellationToken)
    {
        var integrity = await CheckDatabaseAsync(cancellationToken);
        var expected = new Dictionary<string, (Guid PhotoId, Guid OwnerId)>(StringComparer.Ordinal);
        var photos = 0;
        await foreach (var photo in db.Photos.AsNoTracking().Select(p => new { p.Id, p.OwnerId }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            photos++;
            foreach (var key in PhotoBlobs.All(photo.OwnerId, photo.Id))
            {
                expected[key] = (photo.Id, photo.OwnerId);
            }
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        var orphans = new List<BlobInfo>();
        var recent = new List<BlobInfo>();
        var cutoff = time.GetUtcNow() - minimumOrphanAge;
        foreach (var prefix in PhotoBlobs.Prefixes)
        {
            await foreach (var blob in blobs.ListAsync(prefix, cancellationToken))
            {
                present.Add(blob.Key);
                if (!expected.ContainsKey(blob.Key))
                {
                    (blob.LastModified <= cutoff ? orphans : recent).Add(blob);
                }
            }
        }
        var missing = expected.Where(e => !present.Contains(e.Key)).Select(e => new MissingFile(e.Value.PhotoId, e.Value.OwnerId, e.Key)).ToList();

        var removed = 0;
        if (repair)
        {
            foreach (var orphan in orphans)
            {
                // Checked again just before deleting: the row may have been committed since the listing.
                if (PhotoBlobs.PhotoIdOf(orphan.Key) is { } id
                    && await db.Photos.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Id, p.OwnerId }).FirstOrDefaultAsync(cancellationToken) is { } photo
                    && PhotoBlobs.All(photo.OwnerId, photo.Id).Contains(orphan.Key))
                {
                    continue;
                }
                await blobs.DeleteAsync(orphan.Key, cancellationToken);
                removed++;
            }
        }
        return new FsckReport(integrity, photos, present.Count, missing, orphans, recent, removed);
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
        await db.DataProtectionKeys.CountAsync(cancellationToken);
        return "ok";
    }
}
