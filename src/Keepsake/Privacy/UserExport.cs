using System.IO.Compression;
using System.Text.Json;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Sharing;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Privacy;

/// <summary>
/// A user's data as one zip, written as it is read: every original under <see cref="PhotosFolder"/> with its
/// original file name (made safe and unique), then <see cref="MetadataFile"/>. Originals are copied one at
/// a time straight from the blob store into the archive and photo rows are read a page at a time, so memory
/// does not grow with the library; only each photo's name in the zip is kept until the JSON is written.
/// </summary>
public sealed class UserExport(KeepsakeDbContext db, OriginalsZip originals)
{
    public const string PhotosFolder = "photos/";
    public const string MetadataFile = "keepsake-export.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
        var files = await originals.AddAsync(zip, db.Photos.Where(p => p.OwnerId == userId), PhotosFolder, cancellationToken);
        var entry = zip.CreateEntry(MetadataFile, CompressionLevel.Optimal);
        await using var metadata = await entry.OpenAsync(cancellationToken);
        await WriteMetadataAsync(metadata, account, files, cancellationToken);
        return true;
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
        var deviceKeys = (await db.DeviceKeys.AsNoTracking().Where(k => k.OwnerId == account.Id).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken))
            .Select(k => new ExportDeviceKeyDto(k.Id, k.Name, DeviceKeysApi.ScopeName(k.Scope), k.CreatedAt, k.LastUsedAt)).ToList();

        await using var writer = new Utf8JsonWriter(target, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WritePropertyName("account");
        JsonSerializer.Serialize(writer, account, Json);
        writer.WritePropertyName("albums");
        JsonSerializer.Serialize(writer, albums, Json);
        writer.WritePropertyName("shareLinks");
        JsonSerializer.Serialize(writer, shareLinks, Json);
        writer.WritePropertyName("deviceKeys");
        JsonSerializer.Serialize(writer, deviceKeys, Json);
        writer.WriteStartArray("photos");
        await foreach (var photo in OriginalsZip.PagesOf(db.Photos.Where(p => p.OwnerId == account.Id), cancellationToken))
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

    private static ExportPhotoDto ToDto(Photo photo, string? file) =>
        new(photo.Id, file, photo.OriginalFileName, photo.Format, photo.SizeBytes, photo.Sha256, photo.Width, photo.Height, photo.Orientation,
            photo.UploadedAt, photo.TakenAt, photo.TakenAtOffsetMinutes, photo.TakenAtSource,
            new CameraDto(photo.CameraMake, photo.CameraModel, photo.Lens, photo.ExposureTime, photo.FNumber, photo.Iso, photo.FocalLengthMm),
            photo.Latitude is { } latitude && photo.Longitude is { } longitude ? new LocationDto(latitude, longitude) : null,
            PhotoMapping.PlaceOf(photo), photo.IsFavorite, photo.IsArchived, photo.TrashedAt, photo.Description);
}
