using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Keepsake.Tests.Observability;

/// <summary>A rule of a Prometheus rule file: an alert, or a recording rule (<see cref="Record"/>).</summary>
public sealed class AlertRule
{
    public string? Alert { get; set; }

    public string? Record { get; set; }

    public string Expr { get; set; } = "";

    public string? For { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string> Annotations { get; set; } = [];
}

/// <summary>The rules of deploy/monitoring's Prometheus rule files, and the metric names their expressions read.</summary>
public static partial class AlertRules
{
    private sealed class RuleFile
    {
        public List<RuleGroup> Groups { get; set; } = [];
    }

    private sealed class RuleGroup
    {
        public string Name { get; set; } = "";

        public List<AlertRule> Rules { get; set; } = [];
    }

    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    /// <summary>Every rule of <paramref name="file"/>, in order.</summary>
    public static IReadOnlyList<AlertRule> Read(string file) =>
        Yaml.Deserialize<RuleFile>(File.ReadAllText(file)).Groups.SelectMany(g => g.Rules).ToList();

    public static IReadOnlyList<AlertRule> All() => MonitoringFiles.PrometheusRuleFiles.SelectMany(Read).ToList();

    /// <summary>
    /// The metric names <paramref name="expression"/> selects: what is left once strings, label matchers, ranges,
    /// grouping clauses, offsets, numbers, keywords and function or aggregation names are taken out.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = QuotedString().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        text = Offset().Replace(text, " ");
        return Identifier().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The metric names every rule file reads from a scrape: recorded names (<c>keepsake:…</c>) are made by the rules themselves.</summary>
    public static IReadOnlySet<string> ScrapedMetricNames()
    {
        var rules = All();
        var recorded = rules.Where(r => r.Record is not null).Select(r => r.Record!).ToHashSet(StringComparer.Ordinal);
        return rules.SelectMany(r => MetricNames(r.Expr)).Where(name => !recorded.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "group_left", "group_right", "inf", "nan",
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
    };

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"\boffset\s+-?[0-9a-z]+")]
    private static partial Regex Offset();

    /// <summary>A name not preceded by a digit, a dot or a name character (so not <c>h20m</c> of a duration or <c>e9</c> of a number) and not a call.</summary>
    [GeneratedRegex(@"(?<![\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:])(?!\s*\()")]
    private static partial Regex Identifier();
}
