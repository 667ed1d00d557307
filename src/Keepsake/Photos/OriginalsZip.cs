using System.IO.Compression;
using System.Runtime.CompilerServices;
using Keepsake.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>
/// Originals copied into a zip as it is written (a user's export, an album's download): one at a time, straight from the
/// blob store, under their own file names made safe and unique, stored byte for byte. Photos are read a page at a time,
/// so memory does not grow with their number; an original that is gone (marked missing) is left out.
/// </summary>
public sealed class OriginalsZip(IBlobStore store)
{
    private const int PageSize = 500;
    private const int MaxNameLength = 150;

    private static readonly char[] UnsafeNameCharacters = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

    /// <summary>Adds the original of every photo of <paramref name="photos"/> under <paramref name="folder"/>; returns each one's path in the zip.</summary>
    public async Task<Dictionary<Guid, string>> AddAsync(ZipArchive zip, IQueryable<Photo> photos, string folder, CancellationToken cancellationToken)
    {
        var files = new Dictionary<Guid, string>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var photo in PagesOf(photos, cancellationToken))
        {
            await using var original = await store.OpenReadAsync(PhotoBlobs.Original(photo.OwnerId, photo.Id), cancellationToken);
            if (original is null)
            {
                continue;
            }
            var path = folder + UniqueName(SafeFileName(photo.OriginalFileName, photo.Id, photo.Format), taken);
            // Originals are compressed images already: stored as they are, byte for byte.
            var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(photo.UploadedAt);
            await using (var target = await entry.OpenAsync(cancellationToken))
            {
                await original.CopyToAsync(target, cancellationToken);
            }
            files[photo.Id] = path;
        }
        return files;
    }

    /// <summary>
    /// Lets a zip be streamed as a response: ZipArchive writes everything asynchronously except each entry's data
    /// descriptor (a few bytes, written synchronously when an entry's stream is disposed, as of .NET 10), which the server
    /// refuses by default.
    /// </summary>
    public static void AllowEntryDescriptors(HttpContext context) =>
        context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;

    /// <summary>The photos of <paramref name="query"/> a page at a time in id order, so no query stays open while files are copied.</summary>
    public static async IAsyncEnumerable<Photo> PagesOf(IQueryable<Photo> query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = Guid.Empty;
        while (true)
        {
            var page = await query.AsNoTracking().Where(p => p.Id.CompareTo(after) > 0).OrderBy(p => p.Id).Take(PageSize).ToListAsync(cancellationToken);
            foreach (var photo in page)
            {
                yield return photo;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }

    /// <summary>The file name alone, without characters that some systems refuse or that would leave the folder; never empty.</summary>
    public static string SafeFileName(string originalFileName, Guid photoId, string format)
    {
        var name = originalFileName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string([.. name.Select(c => char.IsControl(c) || UnsafeNameCharacters.Contains(c) ? '_' : c)]).Trim().TrimEnd('.');
        if (name.Length == 0 || name.All(c => c == '.'))
        {
            return $"{photoId:N}.{format}";
        }
        if (name.Length > MaxNameLength)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length > 16 ? "" : extension;
            name = name[..(MaxNameLength - extension.Length)] + extension;
        }
        return name;
    }

    /// <summary><c>name.jpg</c>, else <c>name (2).jpg</c>, <c>name (3).jpg</c>…; compared ignoring case, as on macOS and Windows.</summary>
    private static string UniqueName(string name, HashSet<string> taken)
    {
        if (taken.Add(name))
        {
            return name;
        }
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        for (var n = 2; ; n++)
        {
            var candidate = $"{stem} ({n}){extension}";
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
