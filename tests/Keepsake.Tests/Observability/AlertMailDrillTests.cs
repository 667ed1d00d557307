using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Keepsake.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Tests.Observability;

/// <summary>
/// The whole alert path, for real: Debian's Prometheus scrapes a running Keepsake and evaluates deploy/monitoring's
/// rules, Debian's Alertmanager routes with deploy/monitoring's configuration, and the e-mail lands in an SMTP server
/// on loopback. What the test changes in the real files, and only that: the alert's <c>for: 2m</c> becomes
/// <c>for: 0s</c> and Alertmanager's <c>group_wait</c>s 1 s (intervals, so that a minute is enough), and the SMTP
/// target is the loopback server (plain SMTP, the password in a file of the test's).
/// </summary>
// It stops a PostgreSQL server of its own whatever the stack, so it runs once, in the scale run.
[Trait(Drill.Category, Drill.Name)]
[Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
public sealed class AlertMailDrillTests(ITestOutputHelper output)
{
    private const string Stage = "test";
    private const string Alert = "KeepsakeErrorBudgetBurningFast";
    private static readonly TimeSpan MailWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_its_database_stopped_Keepsake_mails_the_maintainers_the_alert_with_its_stage_and_runbook_within_a_minute()
    {
        using var postgres = PostgresServer.StartPrivate();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = MigratedDatabases.CreatePostgresDatabase(postgres),
        });
        await using var keepsake = await ServerProcess.StartAsync(app);
        using var folder = new TemporaryFolder();
        await using var mailbox = await SmtpMailbox.StartAsync();
        await using var alertmanager = await StartAlertmanagerAsync(folder.Path, mailbox.Port);
        await using var prometheus = await StartPrometheusAsync(folder.Path, keepsake.ManagementAddress.Port, alertmanager.Port);
        using var visitor = new HttpClient { BaseAddress = keepsake.PublicAddress };
        for (var request = 0; request < 5; request++)
        {
            using var healthy = await visitor.GetAsync("/api/setup");
            healthy.EnsureSuccessStatusCode();
        }

        var outage = Stopwatch.StartNew();
        postgres.StopNow();
        MailMessageText? mail = null;
        var answers = new List<int>();
        while (mail is null && outage.Elapsed < MailWithin)
        {
            using var answer = await visitor.GetAsync("/api/setup");
            answers.Add((int)answer.StatusCode);
            mail = mailbox.Received().FirstOrDefault(m => m.Header("Subject").Contains(Alert, StringComparison.Ordinal));
            await Task.Delay(100);
        }

        Assert.True(mail is not null, $"No e-mail about {Alert} within {MailWithin.TotalSeconds} s of the outage; the app answered " +
            $"{string.Join(' ', answers.Distinct())}; received: {mailbox.Received().Count}.\n{prometheus.Output}\n{alertmanager.Output}\n{mailbox.Output}");
        output.WriteLine($"The alert e-mail arrived {outage.Elapsed.TotalSeconds:0.0} s after the database stopped:");
        output.WriteLine($"Subject: {mail.Header("Subject")}\nTo: {mail.Header("To")}\nFrom: {mail.Header("From")}\n\n{mail.Text}");
        Assert.Contains(503, answers);
        Assert.StartsWith($"[{Stage}] FIRING: {Alert}", mail.Header("Subject"), StringComparison.Ordinal);
        Assert.Equal("keepsake-maintainers@example.org", mail.Header("To"));
        Assert.Contains($"{Alert} is firing on stage {Stage} (severity critical)", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"Runbook: https://github.com/keepsake-photos/keepsake/blob/main/deploy/monitoring/README.md#{Alert.ToLowerInvariant()}",
            mail.Text, StringComparison.Ordinal);
        Assert.Contains("X-Signed-In-As: keepsake-alerts@example.org", mail.Raw, StringComparison.Ordinal);
    }

    private static async Task<ToolProcess> StartAlertmanagerAsync(string folder, int smtpPort)
    {
        var password = Path.Combine(folder, "smtp-password");
        await File.WriteAllTextAsync(password, "not-a-secret");
        var configuration = Adapt(await File.ReadAllTextAsync(Path.Combine(MonitoringFiles.Folder, "alertmanager.yaml")),
            (@"smtp_smarthost: \S+", $"smtp_smarthost: 127.0.0.1:{smtpPort}"),
            (@"smtp_auth_password_file: \S+", $"smtp_auth_password_file: {password}"),
            (@"smtp_require_tls: true", "smtp_require_tls: false"),
            (@"group_wait: \S+", "group_wait: 1s"));
        var file = Path.Combine(folder, "alertmanager.yaml");
        await File.WriteAllTextAsync(file, configuration);
        var port = LoopbackPorts.Unused();
        return await ToolProcess.StartAsync("alertmanager", port, "prometheus-alertmanager",
            [$"--config.file={file}", $"--storage.path={Path.Combine(folder, "alertmanager-data")}", $"--web.listen-address=127.0.0.1:{port}",
             "--cluster.listen-address="]);
    }

    private static async Task<ToolProcess> StartPrometheusAsync(string folder, int keepsakeManagementPort, int alertmanagerPort)
    {
        var rules = Adapt(await File.ReadAllTextAsync(Path.Combine(MonitoringFiles.Folder, "keepsake-rules.yaml")),
            ($@"(- alert: {Alert}\n(?:[^\n]*\n)*?\s+for: )2m", "${1}0s"));
        await File.WriteAllTextAsync(Path.Combine(folder, "keepsake-rules.yaml"), rules);
        var file = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
              external_labels: {stage: {{Stage}}}
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['127.0.0.1:{{alertmanagerPort}}']}]
            rule_files: [keepsake-rules.yaml]
            scrape_configs:
              - job_name: keepsake
                static_configs: [{targets: ['127.0.0.1:{{keepsakeManagementPort}}']}]
            """));
        var port = LoopbackPorts.Unused();
        return await ToolProcess.StartAsync("prometheus", port, "prometheus",
            [$"--config.file={file}", $"--storage.tsdb.path={Path.Combine(folder, "prometheus-data")}", $"--web.listen-address=127.0.0.1:{port}"]);
    }

    /// <summary>Each pattern must match: a change to the real file that the test no longer adapts fails here, not later.</summary>
    private static string Adapt(string text, params (string Pattern, string Replacement)[] changes)
    {
        foreach (var (pattern, replacement) in changes)
        {
            Assert.Matches(pattern, text);
            text = Regex.Replace(text, pattern, replacement);
        }
        return text;
    }
}
