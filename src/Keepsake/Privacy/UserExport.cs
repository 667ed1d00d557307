using System.IO.Compression;
using System.Text.Json;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Privacy;

/// <summary>
/// A user's data as one zip, written as it is read: every original under <see cref="PhotosFolder"/> with its
/// original file name (made safe and unique), then <see cref="MetadataFile"/>. Originals are copied one at
/// a time straight from the blob store into the archive and photo rows are read a page at a time, so memory
/// does not grow with the library; only each photo's name in the zip is kept until the JSON is written.
/// </summary>
public sealed class UserExport(KeepsakeDbContext db, IBlobStore store)
{
    public const string PhotosFolder = "photos/";
    public const string MetadataFile = "keepsake-export.json";

    private const int PageSize = 500;
    private const int MaxNameLength = 150;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly char[] UnsafeNameCharacters = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

    /// <summary>Writes the user's export to <paramref name="destination"/>; false when there is no such user.</summary>
    public async Task<bool> WriteAsync(Guid userId, Stream destination, CancellationToken cancellationToken)
    {
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new ExportAccountDto(u.Id, u.Email!, u.IsAdmin, u.CreatedAt)).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return false;
        }
        await using var zip = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        var files = await WriteOriginalsAsync(zip, userId, cancellationToken);
        var entry = zip.CreateEntry(MetadataFile, CompressionLevel.Optimal);
        await using var metadata = await entry.OpenAsync(cancellationToken);
        await WriteMetadataAsync(metadata, account, files, cancellationToken);
        return true;
    }

    /// <summary>Copies every original into the zip; returns each photo's path in it.</summary>
    private async Task<Dictionary<Guid, string>> WriteOriginalsAsync(ZipArchive zip, Guid userId, CancellationToken cancellationToken)
    {
        var files = new Dictionary<Guid, string>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var photo in PhotosAsync(userId, cancellationToken))
        {
            await using var original = await store.OpenReadAsync(PhotoBlobs.Original(photo.OwnerId, photo.Id), cancellationToken);
            if (original is null)
            {
                continue;
            }
            var path = PhotosFolder + UniqueName(SafeFileName(photo.OriginalFileName, photo.Id, photo.Format), taken);
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

    private async Task WriteMetadataAsync(Stream target, ExportAccountDto account, Dictionary<Guid, string> files, CancellationToken cancellationToken)
    {
        var albums = await db.Albums.AsNoTracking().Where(a => a.OwnerId == account.Id).OrderBy(a => a.CreatedAt)
            .Select(a => new ExportAlbumDto(a.Id, a.Name, a.CreatedAt, a.UpdatedAt, a.CoverPhotoId,
                a.Photos.OrderBy(p => p.AddedAt).Select(p => p.PhotoId).ToList()))
            .ToListAsync(cancellationToken);
        var shareLinks = await db.ShareLinks.AsNoTracking().Where(l => db.Set<Album>().Any(a => a.Id == l.AlbumId && a.OwnerId == account.Id))
            .OrderBy(l => l.CreatedAt)
            .Select(l => new ExportShareLinkDto(l.Id, l.AlbumId, l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.PasswordHash != null))
            .ToListAsync(cancellationToken);

        await using var writer = new Utf8JsonWriter(target, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WritePropertyName("account");
        JsonSerializer.Serialize(writer, account, Json);
        writer.WritePropertyName("albums");
        JsonSerializer.Serialize(writer, albums, Json);
        writer.WritePropertyName("shareLinks");
        JsonSerializer.Serialize(writer, shareLinks, Json);
        writer.WriteStartArray("photos");
        await foreach (var photo in PhotosAsync(account.Id, cancellationToken))
        {
            JsonSerializer.Serialize(writer, ToDto(photo, files.GetValueOrDefault(photo.Id)), Json);
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>The user's photos a page at a time, so no query stays open while files are copied.</summary>
    private async IAsyncEnumerable<Photo> PhotosAsync(Guid userId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = Guid.Empty;
        while (true)
        {
            var page = await db.Photos.AsNoTracking()
                .Where(p => p.OwnerId == userId && p.Id.CompareTo(after) > 0)
                .OrderBy(p => p.Id).Take(PageSize).ToListAsync(cancellationToken);
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

    private static ExportPhotoDto ToDto(Photo photo, string? file) =>
        new(photo.Id, file, photo.OriginalFileName, photo.Format, photo.SizeBytes, photo.Sha256, photo.Width, photo.Height, photo.Orientation,
            photo.UploadedAt, photo.TakenAt, photo.TakenAtOffsetMinutes,
            new CameraDto(photo.CameraMake, photo.CameraModel, photo.Lens, photo.ExposureTime, photo.FNumber, photo.Iso, photo.FocalLengthMm),
            photo.Latitude is { } latitude && photo.Longitude is { } longitude ? new LocationDto(latitude, longitude) : null,
            PhotoMapping.PlaceOf(photo), photo.IsFavorite, photo.IsArchived, photo.TrashedAt);

    /// <summary>The file name alone, without characters that some systems refuse or that would leave the folder; never empty.</summary>
    internal static string SafeFileName(string originalFileName, Guid photoId, string format)
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
    internal static string UniqueName(string name, HashSet<string> taken)
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
