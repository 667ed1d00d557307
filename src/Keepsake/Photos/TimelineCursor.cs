using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Keepsake.Photos;

/// <summary>
/// The opaque position in a timeline: the last photo's sort key and id. Keyset pagination on it stays
/// stable while photos are added, unlike an offset.
/// </summary>
public readonly record struct TimelineCursor(DateTime At, Guid Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{At.Ticks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string? text, out TimelineCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = Encoding.ASCII.GetString(bytes).Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }
        cursor = new TimelineCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
