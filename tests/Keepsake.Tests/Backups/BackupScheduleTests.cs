using System.Diagnostics.Metrics;
using System.Net;
using Keepsake.Observability;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Backups;

/// <summary>The embedded server's own backups, driven by a fake clock.</summary>
public sealed class BackupScheduleTests
{
    private static IReadOnlyList<string> Stored(KeepsakeApp app, string name) =>
        app.StoredFiles().Where(f => f.StartsWith("backups/", StringComparison.Ordinal) && f.EndsWith("/" + name, StringComparison.Ordinal)).ToList();

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_server_backs_up_every_hour_and_verifies_once_per_verify_interval()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Backups:Schedule:Enabled"] = "true",
            ["Backups:Schedule:VerifyInterval"] = "02:00:00",
        });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.Zero));
        using var server = app.WithClock(clock);
        using var durations = new MetricCollector<double>(server.Services.GetRequiredService<IMeterFactory>(), KeepsakeMetrics.MeterName, KeepsakeMetrics.BackupDuration);
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/healthz/live")).StatusCode);
        Assert.Empty(Stored(app, "manifest.json"));

        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(500);
        Assert.Empty(Stored(app, "manifest.json"));

        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => Stored(app, "verification.json").Count == 1, "the first scheduled backup and its verification");
        Assert.Single(Stored(app, "manifest.json"));

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(() => Stored(app, "manifest.json").Count == 2, "the second scheduled backup");
        await Task.Delay(500);
        Assert.Single(Stored(app, "verification.json"));

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(() => Stored(app, "verification.json").Count == 2, "the verification two hours after the first");
        Assert.Equal(3, Stored(app, "manifest.json").Count);

        var list = await CliRunner.RunAsync(app, "backup list");
        Assert.Equal(3, list.Lines.Count(l => l.Contains("scheduled", StringComparison.Ordinal)));
        // Each backup and each verification timed, in real seconds whatever the fake clock says.
        var measured = durations.GetMeasurementSnapshot();
        Assert.Equal(3, measured.Count(m => m.Tags["keepsake.backup.operation"] as string == "create"));
        Assert.Equal(2, measured.Count(m => m.Tags["keepsake.backup.operation"] as string == "verify"));
        Assert.All(measured, m => Assert.InRange(m.Value, 0.0001, 600));
    }
}
