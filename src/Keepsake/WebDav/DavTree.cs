using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.WebDav;

/// <summary>
/// A user's library as folders: <c>Photos/YYYY/MM/</c> by the date each photo was taken (its upload date when no camera
/// said), and <c>Albums/NAME/</c>. Photos in the trash are left out. Only reads: the writes are <see cref="DavWrites"/>'.
/// </summary>
public sealed class DavTree(KeepsakeDbContext db)
{
    /// <summary>The resource at <paramref name="segments"/>, or null when there is none.</summary>
    public async Task<DavResource?> FindAsync(Guid ownerId, IReadOnlyList<string> segments, CancellationToken cancellationToken)
    {
        var resource = DavResource.Root;
        foreach (var segment in segments)
        {
            var next = await ChildAsync(ownerId, resource, segment, cancellationToken);
            if (next is null)
            {
                return await SentAsAsync(ownerId, resource, segment, segments.Count, cancellationToken);
            }
            resource = next;
        }
        return resource;
    }

    /// <summary>What a collection holds, in name order; nothing for a photo.</summary>
    public async Task<List<DavResource>> ChildrenAsync(Guid ownerId, DavResource parent, CancellationToken cancellationToken)
    {
        switch (parent.Kind)
        {
            case DavKind.Root:
                return [parent.Child(DavKind.Library, DavNames.Photos), parent.Child(DavKind.Albums, DavNames.Albums)];
            case DavKind.Library:
                var years = await Library(ownerId).Select(p => (p.TakenAt ?? p.UploadedAt).Year).Distinct().ToListAsync(cancellationToken);
                return [.. years.Order().Select(y => parent.Child(DavKind.Year, DavNames.Year(y)))];
            case DavKind.Year:
                var year = int.Parse(parent.Name, System.Globalization.CultureInfo.InvariantCulture);
                var months = await Library(ownerId).Where(p => (p.TakenAt ?? p.UploadedAt).Year == year)
                    .Select(p => (p.TakenAt ?? p.UploadedAt).Month).Distinct().ToListAsync(cancellationToken);
                return [.. months.Order().Select(m => parent.Child(DavKind.Month, DavNames.Month(m)))];
            case DavKind.Month:
                var start = new DateTime(int.Parse(parent.Segments[1], System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(parent.Name, System.Globalization.CultureInfo.InvariantCulture), 1, 0, 0, 0, DateTimeKind.Utc);
                var end = start.AddMonths(1);
                var inMonth = await Library(ownerId).Where(p => (p.TakenAt ?? p.UploadedAt) >= start && (p.TakenAt ?? p.UploadedAt) < end)
                    .ToListAsync(cancellationToken);
                return Files(parent, inMonth);
            case DavKind.Albums:
                return [.. (await AlbumsAsync(ownerId, cancellationToken)).Select(a => parent.Child(DavKind.Album, a.Name, album: a.Album))];
            case DavKind.Album:
                return Files(parent, await AlbumsApi.PhotosOf(db, parent.Album!.Id).ToListAsync(cancellationToken));
            default:
                return [];
        }
    }

    /// <summary>The user's albums under their folder names.</summary>
    public async Task<List<(string Name, Album Album)>> AlbumsAsync(Guid ownerId, CancellationToken cancellationToken) =>
        DavNames.OfAlbums(await db.Albums.AsNoTracking().Where(a => a.OwnerId == ownerId).ToListAsync(cancellationToken));

    /// <summary>The user's photo with these exact bytes, in the library (not the trash).</summary>
    public Task<Photo?> PhotoWithContentAsync(Guid ownerId, string sha256, CancellationToken cancellationToken) =>
        Library(ownerId).FirstOrDefaultAsync(p => p.Sha256 == sha256, cancellationToken);

    private async Task<DavResource?> ChildAsync(Guid ownerId, DavResource parent, string name, CancellationToken cancellationToken) =>
        parent.Kind switch
        {
            DavKind.Root => name == DavNames.Photos ? parent.Child(DavKind.Library, name)
                : name == DavNames.Albums ? parent.Child(DavKind.Albums, name)
                : null,
            DavKind.Library when DavNames.TryParseYear(name, out var year) =>
                await Library(ownerId).AnyAsync(p => (p.TakenAt ?? p.UploadedAt).Year == year, cancellationToken) ? parent.Child(DavKind.Year, name) : null,
            DavKind.Year when DavNames.TryParseMonth(name, out _) =>
                (await ChildrenAsync(ownerId, parent, cancellationToken)).FirstOrDefault(c => c.Name == name),
            DavKind.Albums => (await AlbumsAsync(ownerId, cancellationToken)).Where(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(a => parent.Child(DavKind.Album, a.Name, album: a.Album)).FirstOrDefault(),
            DavKind.Month or DavKind.Album =>
                (await ChildrenAsync(ownerId, parent, cancellationToken)).FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)),
            _ => null,
        };

    /// <summary>
    /// A file a client put straight into <c>Photos/</c> (or the root) is filed under its month, yet the client checks it
    /// where it sent it: there the name finds the newest photo sent under it. Such names are found, never listed.
    /// </summary>
    private async Task<DavResource?> SentAsAsync(Guid ownerId, DavResource parent, string name, int depth, CancellationToken cancellationToken)
    {
        if (parent.Kind is not (DavKind.Root or DavKind.Library) || parent.Segments.Count != depth - 1)
        {
            return null;
        }
        var photo = await Library(ownerId).Where(p => p.OriginalFileName == name)
            .OrderByDescending(p => p.UploadedAt).ThenByDescending(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        return photo is null ? null : parent.Child(DavKind.Photo, name, photo);
    }

    private IQueryable<Photo> Library(Guid ownerId) => db.Photos.AsNoTracking().Where(p => p.OwnerId == ownerId && p.TrashedAt == null);

    private static List<DavResource> Files(DavResource parent, IEnumerable<Photo> photos) =>
        [.. DavNames.OfPhotos(photos).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => parent.Child(DavKind.Photo, p.Name, p.Photo))];
}
