using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// The capture time of an IPTC-IIM record set: Date Created (2:55, <c>CCYYMMDD</c>) with Time Created (2:60,
/// <c>HHMMSS±HHMM</c>) when present. The datasets are walked in a loop within the set; an extended length (which no
/// date needs) ends the walk.
/// </summary>
public static class IptcDates
{
    private const byte Tag = 0x1C;
    private const byte ApplicationRecord = 2;
    private const byte DateCreated = 55;
    private const byte TimeCreated = 60;

    public static CaptureDate? Read(ReadOnlySpan<byte> records)
    {
        string? date = null, time = null;
        var at = 0;
        while (at + 5 <= records.Length && records[at] == Tag)
        {
            var (record, dataset) = (records[at + 1], records[at + 2]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(records[(at + 3)..]);
            if ((length & 0x8000) != 0 || at + 5 + length > records.Length)
            {
                break;
            }
            var value = records.Slice(at + 5, length);
            if (record == ApplicationRecord && dataset == DateCreated)
            {
                date ??= Encoding.ASCII.GetString(value);
            }
            else if (record == ApplicationRecord && dataset == TimeCreated)
            {
                time ??= Encoding.ASCII.GetString(value);
            }
            at += 5 + length;
        }
        return Parse(date, time);
    }

    internal static CaptureDate? Parse(string? date, string? time)
    {
        if (date is not { Length: 8 } || !Digits(date))
        {
            return null;
        }
        int Part(string text, int start, int length) => int.Parse(text.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
        var (hour, minute, second) = (0, 0, 0);
        int? offset = null;
        if (time is { Length: >= 6 } && Digits(time[..6]))
        {
            (hour, minute, second) = (Part(time, 0, 2), Part(time, 2, 2), Part(time, 4, 2));
            if (time.Length == 11 && Digits(time[7..]))
            {
                offset = CaptureDate.ParseOffset($"{time[6]}{time[7..9]}:{time[9..11]}");
            }
        }
        return CaptureDate.Valid(Part(date, 0, 4), Part(date, 4, 2), Part(date, 6, 2), hour, minute, second) is { } local
            ? new CaptureDate(local, offset, DateSource.Iptc)
            : null;
    }

    private static bool Digits(string text) => text.All(char.IsAsciiDigit);
}
