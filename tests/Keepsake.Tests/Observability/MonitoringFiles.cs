using System.Text.Json;
using System.Text.RegularExpressions;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Observability;

/// <summary>The alert rules and the dashboard in deploy/monitoring, and the names Keepsake must expose for them.</summary>
public static partial class MonitoringFiles
{
    public static string Folder { get; } = Path.Combine(TestData.RepositoryRoot, "deploy", "monitoring");

    public static IReadOnlyList<string> PrometheusRuleFiles { get; } =
        [Path.Combine(Folder, "keepsake-rules.yaml"), Path.Combine(Folder, "kubernetes-rules.yaml")];

    public static string Dashboard { get; } = Path.Combine(Folder, "grafana-dashboard.json");

    /// <summary>
    /// Every metric or label name the rules and the dashboard read from what Keepsake itself exports
    /// (its own meter, ASP.NET Core, Kestrel and the .NET runtime), e.g. <c>keepsake_uploads_total</c>
    /// or <c>http_route</c>. Names from kube-state-metrics, cAdvisor and node-exporter are not Keepsake's.
    /// </summary>
    public static IReadOnlySet<string> NamesKeepsakeMustExpose()
    {
        var expressions = PrometheusRuleFiles
            .SelectMany(File.ReadAllLines)
            .Where(line => !line.TrimStart().StartsWith('#'))
            .Concat(DashboardExpressions());
        return expressions.SelectMany(e => KeepsakeName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }

    /// <summary>Label names Keepsake's series carry are checked too, so a renamed label breaks the build as well.</summary>
    [GeneratedRegex(@"(?<![\w:])(?:(?:keepsake|http_server|dotnet|kestrel|aspnetcore)_[A-Za-z0-9_]+|http_route|http_response_status_code|http_request_method|error_type)(?![\w:])")]
    private static partial Regex KeepsakeName();
}
