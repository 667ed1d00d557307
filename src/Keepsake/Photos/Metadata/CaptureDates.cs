using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Directory = MetadataExtractor.Directory;

namespace Keepsake.Photos.Metadata;

/// <summary>What a file says about when it was taken, wherever it says it.</summary>
public sealed record DateEvidence(
    ExifSubIfdDirectory? Exif, ExifIfd0Directory? Ifd0, GpsDirectory? Gps, byte[]? Xmp, byte[]? Iptc, string FileName, DateTime? FileTime);

/// <summary>
/// Picks a photo's capture time from the first source that has one: EXIF's <c>DateTimeOriginal</c> (or
/// <c>DateTimeDigitized</c>), XMP, IPTC, the GPS date and time stamp (UTC), a date in the file name, EXIF's
/// <c>DateTime</c> (when the file was last changed, standing in only for a capture date the camera did not record at
/// all), then the file's own time. The offset comes from the source, else from the GPS time of the same moment.
/// </summary>
public static class CaptureDates
{
    public static CaptureDate? Choose(DateEvidence evidence, DateTime now)
    {
        var (captured, captureDateUnreadable) = FromExif(evidence.Exif, evidence.Ifd0, capture: true);
        var gps = GpsTime(evidence.Gps);
        var chosen = captured
            ?? (evidence.Xmp is { } xmp ? XmpDates.Read(xmp) : null)
            ?? (evidence.Iptc is { } iptc ? IptcDates.Read(iptc) : null)
            ?? (gps is { } utc ? new CaptureDate(utc, 0, DateSource.Gps) : null)
            ?? FileNameDates.Read(evidence.FileName, now)
            ?? (captureDateUnreadable ? null : FromExif(evidence.Exif, evidence.Ifd0, capture: false).Date)
            ?? (evidence.FileTime is { } fileTime ? new CaptureDate(DateTime.SpecifyKind(fileTime, DateTimeKind.Utc), 0, DateSource.FileTime) : null);
        return chosen is not null && gps is { } gpsTime ? chosen.WithOffsetFrom(gpsTime) : chosen;
    }

    /// <summary>
    /// With <paramref name="capture"/>, the capture date (original, else digitized) and whether the camera recorded one
    /// that cannot be read (blank, zero); without, IFD0's date of the last change.
    /// </summary>
    private static (CaptureDate? Date, bool Unreadable) FromExif(ExifSubIfdDirectory? exif, ExifIfd0Directory? ifd0, bool capture)
    {
        (int DateTag, int OffsetTag, Directory? Directory)[] candidates = capture
            ?
            [
                (ExifDirectoryBase.TagDateTimeOriginal, ExifDirectoryBase.TagTimeZoneOriginal, exif),
                (ExifDirectoryBase.TagDateTimeDigitized, ExifDirectoryBase.TagTimeZoneDigitized, exif),
            ]
            : [(ExifDirectoryBase.TagDateTime, ExifDirectoryBase.TagTimeZone, ifd0)];
        var unreadable = false;
        foreach (var (dateTag, offsetTag, directory) in candidates)
        {
            if (directory?.GetString(dateTag) is not { } text)
            {
                continue;
            }
            if (ParseExifDate(text) is { } date)
            {
                var offset = (exif?.GetString(offsetTag) ?? directory.GetString(offsetTag)) is { } zone ? CaptureDate.ParseOffset(zone) : null;
                return (new CaptureDate(date, offset, DateSource.Exif), false);
            }
            unreadable = true;
        }
        return (null, unreadable);
    }

    /// <summary>EXIF writes <c>yyyy:MM:dd HH:mm:ss</c>; blank, zero and impossible dates are no date at all.</summary>
    internal static DateTime? ParseExifDate(string text)
    {
        var trimmed = text.Trim().TrimEnd('\0');
        if (trimmed.Length > 19)
        {
            trimmed = trimmed[..19];
        }
        return DateTime.TryParseExact(trimmed, "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year >= CaptureDate.EarliestYear
            ? DateTime.SpecifyKind(date, DateTimeKind.Utc)
            : null;
    }

    /// <summary>The GPS date and time stamp, a UTC time the receiver took from the satellites; null when either is unreadable.</summary>
    private static DateTime? GpsTime(GpsDirectory? gps)
    {
        if (gps?.GetString(GpsDirectory.TagDateStamp) is not { } stamp
            || gps.GetRationalArray(GpsDirectory.TagTimeStamp) is not { Length: 3 } time
            || time.Any(part => part.Denominator == 0))
        {
            return null;
        }
        var day = stamp.Trim().TrimEnd('\0').Replace('-', ':');
        if (!DateTime.TryParseExact(day, "yyyy:MM:dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }
        var (hours, minutes, seconds) = (time[0].ToDouble(), time[1].ToDouble(), time[2].ToDouble());
        return CaptureDate.Valid(date.Year, date.Month, date.Day, (int)hours, (int)minutes, (int)seconds) is { } utc && hours % 1 == 0 && minutes % 1 == 0
            ? utc
            : null;
    }
}
