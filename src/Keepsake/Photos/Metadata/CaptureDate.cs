using System.Globalization;
using System.Text.RegularExpressions;

namespace Keepsake.Photos.Metadata;

/// <summary>Where a photo's capture time came from: stored with the photo and shown in the viewer.</summary>
public static class DateSource
{
    public const string Exif = "exif";
    public const string Xmp = "xmp";
    public const string Iptc = "iptc";
    public const string Gps = "gps";
    public const string FileName = "file-name";
    public const string FileTime = "file-time";
}

/// <summary>
/// When a photo was taken: the wall-clock time where it was taken, with its offset from UTC when known, and where the
/// time came from (<see cref="DateSource"/>). A time known only as an instant (GPS, the file's) is its UTC time, offset 0.
/// </summary>
public sealed record CaptureDate(DateTime Local, int? OffsetMinutes, string Source)
{
    /// <summary>The earliest year taken as a capture date; older values are a camera's unset clock or a typo.</summary>
    public const int EarliestYear = 1800;

    /// <summary>A date from its parts, or null when they name no real moment or one before <see cref="EarliestYear"/>.</summary>
    public static DateTime? Valid(int year, int month, int day, int hour = 0, int minute = 0, int second = 0)
    {
        if (year < EarliestYear || year > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return null;
        }
        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
    }

    /// <summary>The date a pattern matched, from its groups <c>y</c>, <c>mo</c>, <c>d</c> and, when present, <c>h</c>, <c>mi</c>, <c>s</c>.</summary>
    public static DateTime? Valid(Match match)
    {
        int Number(string group) =>
            match.Groups[group].Success ? int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        return Valid(Number("y"), Number("mo"), Number("d"), Number("h"), Number("mi"), Number("s"));
    }

    /// <summary>An offset written <c>+HH:MM</c> or <c>-HH:MM</c> (EXIF, XMP) in minutes; null when it is anything else.</summary>
    public static int? ParseOffset(ReadOnlySpan<char> text)
    {
        var trimmed = text.Trim().TrimEnd('\0');
        if (trimmed.Length != 6 || (trimmed[0] != '+' && trimmed[0] != '-') || trimmed[3] != ':'
            || !int.TryParse(trimmed.Slice(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(trimmed.Slice(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59)
        {
            return null;
        }
        var total = hours * 60 + minutes;
        return trimmed[0] == '-' ? -total : total;
    }

    /// <summary>
    /// This wall-clock time's offset from UTC, worked out from a GPS time of the same moment: their difference, when it is
    /// within a couple of minutes of a real offset (a multiple of a quarter hour, at most 14 hours).
    /// </summary>
    public CaptureDate WithOffsetFrom(DateTime gpsUtc)
    {
        var difference = (Local - gpsUtc).TotalMinutes;
        var offset = Math.Round(difference / 15) * 15;
        return OffsetMinutes is null && Math.Abs(offset) <= 14 * 60 && Math.Abs(difference - offset) <= 2
            ? this with { OffsetMinutes = (int)offset }
            : this;
    }
}
