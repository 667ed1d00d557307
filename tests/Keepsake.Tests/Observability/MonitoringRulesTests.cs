using System.Diagnostics;
using System.Text.RegularExpressions;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Observability;

/// <summary>The files in deploy/monitoring are valid for the tools that load them, and every alert is unit-tested.</summary>
[Trait(KeepsakeApp.Servers, KeepsakeApp.NoServers)]
public sealed partial class MonitoringRulesTests
{
    private static string TestsFolder => Path.Combine(MonitoringFiles.Folder, "tests");

    [Fact]
    public async Task The_prometheus_rules_pass_promtool_check_rules()
    {
        var result = await RunAsync("promtool", ["check", "rules", .. MonitoringFiles.PrometheusRuleFiles]);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task The_prometheus_rules_pass_their_promtool_unit_tests()
    {
        var result = await RunAsync("promtool", ["test", "rules", .. TestFiles()]);

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Every_alert_has_a_promtool_unit_test_that_makes_it_fire()
    {
        var alerts = MonitoringFiles.PrometheusRuleFiles.SelectMany(f => AlertName().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value)).ToList();
        var tests = string.Join('\n', TestFiles().Select(File.ReadAllText));

        Assert.NotEmpty(alerts);
        var untested = alerts.Where(a => !Regex.IsMatch(tests, $@"alertname: {a}\n\s+exp_alerts:\n\s+- exp_labels:")).ToList();
        Assert.True(untested.Count == 0, "No promtool test makes these fire: " + string.Join(", ", untested));
    }

    [Fact]
    public async Task The_alertmanager_configuration_passes_amtool_check_config()
    {
        var result = await RunAsync("amtool", ["check-config", Path.Combine(MonitoringFiles.Folder, "alertmanager.yaml")]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("smtp_auth_password_file", File.ReadAllText(Path.Combine(MonitoringFiles.Folder, "alertmanager.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_has_a_severity_and_a_runbook_url_naming_a_section_of_the_monitoring_readme()
    {
        var readme = File.ReadAllText(Path.Combine(MonitoringFiles.Folder, "README.md"));
        var sections = Heading().Matches(readme).Select(m => GitHubAnchor(m.Groups["title"].Value)).ToHashSet(StringComparer.Ordinal);
        var alerts = AlertRules.All().Where(r => r.Alert is not null).ToList();

        Assert.NotEmpty(alerts);
        var wrong = alerts.Where(a =>
                !a.Labels.TryGetValue("severity", out var severity) || severity is not ("critical" or "warning")
                || !a.Annotations.TryGetValue("runbook_url", out var url) || !url.StartsWith(RunbookBase + "#", StringComparison.Ordinal)
                || !sections.Contains(url[(RunbookBase.Length + 1)..]))
            .Select(a => a.Alert).ToList();
        Assert.True(wrong.Count == 0, $"Without a severity or a runbook_url into a section of {RunbookBase}: " + string.Join(", ", wrong));
    }

    /// <summary>Loki keeps the logs; the alerts on exceptions and 5xx read the app's metrics, which promtool can test.</summary>
    [Fact]
    public void Nothing_pages_from_the_logs_and_the_readme_gives_the_log_queries_instead()
    {
        var readme = File.ReadAllText(Path.Combine(MonitoringFiles.Folder, "README.md"));

        Assert.Empty(Directory.GetFiles(MonitoringFiles.Folder, "loki*"));
        Assert.Contains("{container=\"keepsake\"} | json | exception != \"\"", readme, StringComparison.Ordinal);
        Assert.Contains(AlertRules.All(), r => r.Expr.Contains("keepsake_exceptions_total", StringComparison.Ordinal));
        Assert.Contains(AlertRules.All(), r => r.Expr.Contains("http_response_status_code=~\"5..\"", StringComparison.Ordinal));
    }

    private const string RunbookBase = "https://github.com/keepsake-photos/keepsake/blob/main/deploy/monitoring/README.md";

    /// <summary>How GitHub names a heading's anchor: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string GitHubAnchor(string title) =>
        Regex.Replace(title.Trim().ToLowerInvariant(), @"[^\w\- ]", "").Replace(' ', '-');

    private static IReadOnlyList<string> TestFiles() => Directory.GetFiles(TestsFolder, "*.test.yaml").Order(StringComparer.Ordinal).ToList();

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = MonitoringFiles.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{tool} did not start; scripts/test.sh installs it (Debian: prometheus, prometheus-alertmanager).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, $"{tool} {string.Join(' ', arguments)}:\n{await output}{await error}");
    }

    [GeneratedRegex(@"^\s*- alert: (?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
