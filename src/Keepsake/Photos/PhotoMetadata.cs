using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Directory = MetadataExtractor.Directory;

namespace Keepsake.Photos;

/// <summary>What a photo's EXIF says about it; every field is absent when the file does not say it sensibly.</summary>
public sealed record PhotoMetadata
{
    public static readonly PhotoMetadata None = new();

    public DateTime? TakenAt { get; init; }
    public int? TakenAtOffsetMinutes { get; init; }
    public string? CameraMake { get; init; }
    public string? CameraModel { get; init; }
    public string? Lens { get; init; }
    public string? ExposureTime { get; init; }
    public double? FNumber { get; init; }
    public int? Iso { get; init; }
    public double? FocalLengthMm { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
}

/// <summary>
/// Reads EXIF with MetadataExtractor. Real files carry broken EXIF (blank or impossible dates, GPS out
/// of range, tags in the wrong IFD, fuzzed boxes): every such value is dropped, never guessed at.
/// </summary>
public sealed partial class PhotoMetadataReader(ILogger<PhotoMetadataReader> logger)
{
    private const int MaxTextLength = 128;

    public PhotoMetadata Read(string path, ImageFormat? format = null)
    {
        IReadOnlyList<Directory> directories;
        try
        {
            directories = format == ImageFormat.Avif ? ReadHeif(path) : ImageMetadataReader.ReadMetadata(path);
        }
        catch (Exception e)
        {
            // A parser of hostile input fails in many ways (fuzzed boxes, lengths past the end of file);
            // any failure only means the photo is stored without metadata.
            LogUnreadable(logger, e.GetType().Name);
            return PhotoMetadata.None;
        }

        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var exif = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();
        var (takenAt, offset) = ReadTakenAt(exif, ifd0);
        var (latitude, longitude) = ReadLocation(gps);
        return new PhotoMetadata
        {
            TakenAt = takenAt,
            TakenAtOffsetMinutes = offset,
            CameraMake = Text(ifd0, ExifDirectoryBase.TagMake),
            CameraModel = Text(ifd0, ExifDirectoryBase.TagModel),
            Lens = Text(exif, ExifDirectoryBase.TagLensModel),
            ExposureTime = Exposure(exif),
            FNumber = Positive(exif, ExifDirectoryBase.TagFNumber),
            Iso = exif is not null && exif.TryGetInt32(ExifDirectoryBase.TagIsoEquivalent, out var iso) && iso > 0 ? iso : null,
            FocalLengthMm = Positive(exif, ExifDirectoryBase.TagFocalLength),
            Latitude = latitude,
            Longitude = longitude,
        };
    }

    /// <summary>
    /// MetadataExtractor's type detection takes the <c>avif</c> brand for QuickTime and finds no EXIF;
    /// AVIF is HEIF underneath, so its HEIF reader finds the EXIF item.
    /// </summary>
    private static IReadOnlyList<Directory> ReadHeif(string path)
    {
        using var stream = File.OpenRead(path);
        return MetadataExtractor.Formats.Heif.HeifMetadataReader.ReadMetadata(stream);
    }

    private static (DateTime? TakenAt, int? OffsetMinutes) ReadTakenAt(ExifSubIfdDirectory? exif, ExifIfd0Directory? ifd0)
    {
        (int DateTag, int OffsetTag, Directory? Directory)[] candidates =
        [
            (ExifDirectoryBase.TagDateTimeOriginal, ExifDirectoryBase.TagTimeZoneOriginal, exif),
            (ExifDirectoryBase.TagDateTimeDigitized, ExifDirectoryBase.TagTimeZoneDigitized, exif),
            (ExifDirectoryBase.TagDateTime, ExifDirectoryBase.TagTimeZone, ifd0),
        ];
        var captureDateUnreadable = false;
        foreach (var (dateTag, offsetTag, directory) in candidates)
        {
            // IFD0's DateTime is when the file was last changed: it stands in for a capture date the
            // camera did not record, not for one it recorded as blank or zero (software wrote it later).
            if (dateTag == ExifDirectoryBase.TagDateTime && captureDateUnreadable)
            {
                break;
            }
            if (directory?.GetString(dateTag) is not { } text)
            {
                continue;
            }
            if (ParseExifDate(text) is { } date)
            {
                var offset = ParseOffset(exif?.GetString(offsetTag) ?? directory.GetString(offsetTag));
                return (date, offset);
            }
            captureDateUnreadable = true;
        }
        return (null, null);
    }

    /// <summary>EXIF writes <c>yyyy:MM:dd HH:mm:ss</c>; blank, zero and impossible dates are no date at all.</summary>
    internal static DateTime? ParseExifDate(string text)
    {
        var trimmed = text.Trim().TrimEnd('\0');
        if (trimmed.Length > 19)
        {
            trimmed = trimmed[..19];
        }
        return DateTime.TryParseExact(trimmed, "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1800
            ? DateTime.SpecifyKind(date, DateTimeKind.Utc)
            : null;
    }

    internal static int? ParseOffset(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var trimmed = text.Trim().TrimEnd('\0');
        if (trimmed.Length != 6 || (trimmed[0] != '+' && trimmed[0] != '-') || trimmed[3] != ':'
            || !int.TryParse(trimmed.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(trimmed.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return null;
        }
        var total = hours * 60 + minutes;
        return trimmed[0] == '-' ? -total : total;
    }

    private static (double? Latitude, double? Longitude) ReadLocation(GpsDirectory? gps)
    {
        var location = gps?.GetGeoLocation();
        if (location is null)
        {
            return (null, null);
        }
        var (latitude, longitude) = (location.Latitude, location.Longitude);
        var valid = double.IsFinite(latitude) && double.IsFinite(longitude)
            && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180
            // 0,0 is what broken GPS units write when they have no fix, not a place anyone stood.
            && !(latitude == 0 && longitude == 0);
        return valid ? (Math.Round(latitude, 6), Math.Round(longitude, 6)) : (null, null);
    }

    private static string? Exposure(Directory? exif)
    {
        if (exif is null || !exif.TryGetRational(ExifDirectoryBase.TagExposureTime, out var rational) || rational.Numerator <= 0 || rational.Denominator <= 0)
        {
            return null;
        }
        var seconds = rational.ToDouble();
        if (seconds >= 1)
        {
            return seconds.ToString("0.#", CultureInfo.InvariantCulture);
        }
        return "1/" + Math.Round(1 / seconds).ToString(CultureInfo.InvariantCulture);
    }

    private static double? Positive(Directory? directory, int tag) =>
        directory is not null && directory.TryGetRational(tag, out var value) && value.Denominator != 0 && value.ToDouble() is var d && double.IsFinite(d) && d > 0
            ? Math.Round(d, 2)
            : null;

    private static string? Text(Directory? directory, int tag)
    {
        var text = directory?.GetString(tag)?.Replace("\0", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return text.Length > MaxTextLength ? text[..MaxTextLength] : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the metadata of a file ({Error}); storing it without")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
