using System.Globalization;

namespace Keepsake.Photos;

public sealed record CameraDto(string? Make, string? Model, string? Lens, string? ExposureTime, double? FNumber, int? Iso, double? FocalLengthMm);

public sealed record LocationDto(double Latitude, double Longitude);

/// <summary>Where a photo was taken, named offline from its GPS location: <c>Rome</c>, <c>Lazio</c>, <c>Italy</c>.</summary>
public sealed record PlaceDto(string City, string? Region, string Country);

/// <summary>An upload as the OpenAPI document describes it: one <c>files</c> part per photo. The endpoint reads the parts itself.</summary>
public sealed record UploadPhotosForm(IReadOnlyList<IFormFile> Files);

/// <summary>One thumbnail of a photo and its size in pixels, for a <c>srcset</c>.</summary>
public sealed record ThumbnailDto(string Url, int Width, int Height)
{
    /// <summary>The thumbnail of <paramref name="photo"/> made to fit a box (never larger than the photo), as libvips sizes it.</summary>
    public static ThumbnailDto Fitted(string url, Photo photo, int boxWidth, int boxHeight)
    {
        var scale = Math.Min(1, Math.Min((double)boxWidth / Math.Max(1, photo.Width), (double)boxHeight / Math.Max(1, photo.Height)));
        return new(url, Math.Max(1, (int)Math.Round(photo.Width * scale)), Math.Max(1, (int)Math.Round(photo.Height * scale)));
    }
}

/// <summary>
/// A photo in a grid: enough to reserve its space and load its thumbnail; <see cref="Thumbnails"/> lists the sizes there
/// are, for screens of higher density. <see cref="Missing"/> is true once fsck has found
/// its original gone: a client shows a placeholder instead of asking for its files. <see cref="Favorite"/> and
/// <see cref="Archived"/> are the owner's own marks, null for anyone else (a share link's visitor).
/// </summary>
public sealed record PhotoSummaryDto(
    Guid Id, int Width, int Height, string? TakenAt, DateTime TimelineAt, string ThumbnailUrl, IReadOnlyList<ThumbnailDto> Thumbnails, string PreviewUrl,
    bool Missing, bool? Favorite, bool? Archived);

/// <summary>
/// One photo with all it records; <see cref="TimelineAt"/> is its place in the timeline (UTC), whose month is the bucket
/// it is listed in, so a client given a link to it can load that month.
/// </summary>
public sealed record PhotoDetailsDto(
    Guid Id,
    string FileName,
    string Format,
    long SizeBytes,
    int Width,
    int Height,
    int Orientation,
    string? TakenAt,
    string? TakenAtSource,
    DateTime UploadedAt,
    DateTime TimelineAt,
    CameraDto? Camera,
    LocationDto? Location,
    PlaceDto? Place,
    string ThumbnailUrl,
    string PreviewUrl,
    string OriginalUrl,
    bool Missing,
    bool? Favorite,
    bool? Archived,
    string? Description,
    WeatherDto? Weather = null);

/// <summary>
/// Where one viewer's answers point for a photo's files: its thumbnail and preview by URLs signed for
/// <see cref="Viewer"/>, its original below <see cref="BaseUrl"/> (the owner's API or a share link's).
/// <see cref="SignedInUser"/> is the user the answer is for, who sees the marks of their own photos.
/// </summary>
public sealed record PhotoLinks(string BaseUrl, SignedPhotoUrls Urls, PhotoViewer Viewer, Guid? SignedInUser = null)
{
    /// <summary>A mark of the photo's owner, for the owner only.</summary>
    public bool? OwnMark(Photo photo, bool mark) => photo.OwnerId == SignedInUser ? mark : null;

    public string Thumbnail(Photo photo) => Urls.For(photo, PhotoVariant.Thumbnail, Viewer);

    public IReadOnlyList<ThumbnailDto> Thumbnails(Photo photo) => Urls.Thumbnails(photo, Viewer);

    public string Preview(Photo photo) => Urls.For(photo, PhotoVariant.Preview, Viewer);
}

public sealed record PhotoPageDto(IReadOnlyList<PhotoSummaryDto> Items, string? NextCursor);

public sealed record UploadedPhotoDto(string FileName, bool Duplicate, PhotoDetailsDto Photo);

public sealed record UploadResponseDto(IReadOnlyList<UploadedPhotoDto> Photos);

public static class PhotoMapping
{
    /// <summary>A photo in a grid, with <paramref name="links"/> to its files.</summary>
    public static PhotoSummaryDto ToSummary(this Photo photo, PhotoLinks links)
    {
        var thumbnails = links.Thumbnails(photo);
        return new(photo.Id, photo.Width, photo.Height, FormatTakenAt(photo), photo.TimelineAt,
            thumbnails[0].Url, thumbnails, links.Preview(photo), photo.OriginalMissingSince is not null,
            links.OwnMark(photo, photo.IsFavorite), links.OwnMark(photo, photo.IsArchived));
    }

    public static PhotoDetailsDto ToDetails(this Photo photo, PhotoLinks links) =>
        new(photo.Id, photo.OriginalFileName, photo.Format, photo.SizeBytes, photo.Width, photo.Height, photo.Orientation,
            FormatTakenAt(photo), photo.TakenAtSource, photo.UploadedAt, photo.TimelineAt,
            new CameraDto(photo.CameraMake, photo.CameraModel, photo.Lens, photo.ExposureTime, photo.FNumber, photo.Iso, photo.FocalLengthMm),
            photo.Latitude is { } lat && photo.Longitude is { } lon ? new LocationDto(lat, lon) : null,
            PlaceOf(photo),
            links.Thumbnail(photo), links.Preview(photo), $"{links.BaseUrl}/{photo.Id}/original",
            photo.OriginalMissingSince is not null, links.OwnMark(photo, photo.IsFavorite), links.OwnMark(photo, photo.IsArchived),
            photo.Description);

    /// <summary>The photo's place, or null when it has none.</summary>
    public static PlaceDto? PlaceOf(Photo photo) =>
        photo.PlaceCity is { } city && photo.PlaceCountry is { } country ? new PlaceDto(city, photo.PlaceRegion, country) : null;

    /// <summary>ISO 8601 wall-clock time, with the camera's offset when the file records one.</summary>
    public static string? FormatTakenAt(Photo photo)
    {
        if (photo.TakenAt is not { } taken)
        {
            return null;
        }
        var local = DateTime.SpecifyKind(taken, DateTimeKind.Unspecified);
        return photo.TakenAtOffsetMinutes is { } minutes
            ? new DateTimeOffset(local, TimeSpan.FromMinutes(minutes)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
