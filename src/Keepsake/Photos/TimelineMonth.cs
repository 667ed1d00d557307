using System.Globalization;

namespace Keepsake.Photos;

/// <summary>A month of the timeline as the API names it (<c>yyyy-MM</c>): the UTC month of a photo's <c>TimelineAt</c>.</summary>
public static class TimelineMonth
{
    /// <summary>The first instant (UTC) of the month <paramref name="text"/> names, if it names one.</summary>
    public static bool TryParse(string text, out DateTime start)
    {
        start = default;
        if (text.Length != 7 || !DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        start = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
        return true;
    }
}
