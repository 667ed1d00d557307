using Keepsake.Photos;

namespace Keepsake.Search;

/// <summary>
/// The opaque position in search results: the last photo's relevance, then its place in the timeline (a
/// <see cref="TimelineCursor"/>), as results are ordered by relevance and then as the timeline is.
/// </summary>
public readonly record struct SearchCursor(int Score, TimelineCursor Position)
{
    private const char Separator = '~';

    public string Encode() => $"{Score}{Separator}{Position.Encode()}";

    public static bool TryDecode(string? text, out SearchCursor cursor)
    {
        cursor = default;
        var parts = (text ?? "").Split(Separator);
        if (parts.Length != 2 || parts[0].Length is 0 or > 4 || !parts[0].All(char.IsAsciiDigit)
            || !TimelineCursor.TryDecode(parts[1], out var position))
        {
            return false;
        }
        cursor = new SearchCursor(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), position);
        return true;
    }
}
