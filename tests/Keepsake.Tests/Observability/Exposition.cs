using System.Globalization;
using System.Text.RegularExpressions;

namespace Keepsake.Tests.Observability;

/// <summary>Reading the Prometheus text format a scrape of <c>/metrics</c> returns.</summary>
public static partial class Exposition
{
    /// <summary>The names of the series (not the labels).</summary>
    public static IReadOnlySet<string> SeriesNames(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SeriesName().Match(l).Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The value of the series <paramref name="name"/> whose labels contain <paramref name="label"/>, or NaN when there is none.</summary>
    public static double Sample(string exposition, string name, string label)
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SeriesName();
}
