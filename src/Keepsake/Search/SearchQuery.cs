using System.Globalization;
using System.Text.RegularExpressions;

namespace Keepsake.Search;

/// <summary>A span of wall-clock time the photo was taken in: from <see cref="Start"/> up to, not including, <see cref="End"/>.</summary>
public readonly record struct TakenRange(DateTime Start, DateTime End)
{
    public bool IsEmpty => Start >= End;

    /// <summary>Both ranges at once: what a query with two dates (or a date and a filter) asks for.</summary>
    public TakenRange Within(TakenRange other) => new(Start > other.Start ? Start : other.Start, End < other.End ? End : other.End);

    public static TakenRange Day(DateTime day) => new(day, day.AddDays(1));
}

/// <summary>
/// What a person typed, read as words and dates: <c>2019</c>, <c>july 2019</c> (or <c>jul 2019</c>), <c>2019-07</c> and
/// <c>2019-07-14</c> become a range of the taken date; every other word is matched as the start of a word in the photo's
/// text (split where a letter or digit ends, as the indexes split it). Every word and every date must hold.
/// </summary>
public sealed partial record SearchQuery(IReadOnlyList<string> Words, TakenRange? Taken)
{
    public const int MaxLength = 200;
    public const int MaxWords = 12;

    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    public bool IsEmpty => Words.Count == 0 && Taken is null;

    public static SearchQuery Parse(string? text)
    {
        var tokens = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var words = new List<string>();
        TakenRange? taken = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var range = DateOf(tokens[i]);
            if (range is null && MonthOf(tokens[i]) is { } month && i + 1 < tokens.Length && YearOf(tokens[i + 1]) is { } year)
            {
                var start = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
                range = new TakenRange(start, start.AddMonths(1));
                i++;
            }
            if (range is { } found)
            {
                taken = taken is { } earlier ? earlier.Within(found) : found;
                continue;
            }
            words.AddRange(WordsOf(tokens[i]));
        }
        return new SearchQuery(words.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), taken);
    }

    /// <summary>The runs of letters and digits in <paramref name="text"/>: what the indexes keep of it as words.</summary>
    public static IEnumerable<string> WordsOf(string text) =>
        WordRun().Matches(text).Select(m => m.Value);

    private static TakenRange? DateOf(string token)
    {
        if (YearOf(token) is { } year)
        {
            var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            return new TakenRange(start, start.AddYears(1));
        }
        var styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (DateTime.TryParseExact(token, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out var day))
        {
            return TakenRange.Day(day);
        }
        if (DateTime.TryParseExact(token, "yyyy-MM", CultureInfo.InvariantCulture, styles, out var monthStart))
        {
            return new TakenRange(monthStart, monthStart.AddMonths(1));
        }
        return null;
    }

    /// <summary>A year as people search for one: four digits from 1800 to 2199 (a number outside is just a word).</summary>
    private static int? YearOf(string token) =>
        token.Length == 4 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1800 and < 2200 ? year : null;

    /// <summary>An English month, whole or by its first three letters (and <c>sept</c>).</summary>
    private static int? MonthOf(string token)
    {
        var lower = token.ToLowerInvariant();
        if (lower == "sept")
        {
            return 9;
        }
        var index = Array.FindIndex(Months, m => m == lower || (lower.Length == 3 && m.StartsWith(lower, StringComparison.Ordinal)));
        return index < 0 ? null : index + 1;
    }

    [GeneratedRegex(@"[\p{L}\p{N}\p{M}]+")]
    private static partial Regex WordRun();
}
