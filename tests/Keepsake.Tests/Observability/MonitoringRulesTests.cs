using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Keepsake.Tests.Observability;

/// <summary>The files in deploy/monitoring are valid for the tools that load them, and every alert is unit-tested.</summary>
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

    /// <summary>No LogQL checker is installable here, so the Loki rules are checked for shape and for the JSON fields Keepsake writes.</summary>
    [Fact]
    public void The_loki_rules_are_alerts_over_the_fields_of_keepsakes_json_log_lines()
    {
        var text = File.ReadAllText(Path.Combine(MonitoringFiles.Folder, "loki-rules.yaml"));
        var rules = LokiRule().Matches(text);

        Assert.StartsWith("groups:", text.Split('\n').First(l => l.Length > 0 && !l.StartsWith('#')), StringComparison.Ordinal);
        Assert.NotEmpty(rules);
        Assert.Equal(AlertName().Matches(text).Count, rules.Count);
        foreach (Match rule in rules)
        {
            var expr = rule.Groups["expr"].Value;
            Assert.Contains("{container=\"keepsake\"} | json |", expr, StringComparison.Ordinal);
            var field = rule.Groups["field"].Value;
            Assert.Contains(field, new[] { "level", "exception" });
        }
    }

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

    [GeneratedRegex(@"- alert: \w+\n\s+expr: (?<expr>.*\| json \| (?<field>\w+)\s*(?:!=|=~|==|=).*)\n\s+for: \S+\n\s+labels:\n\s+severity: (?:warning|critical)\n\s+annotations:\n\s+summary: ")]
    private static partial Regex LokiRule();
}
