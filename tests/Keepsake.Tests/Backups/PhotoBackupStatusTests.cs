using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keepsake.Backups.Photos;
using Keepsake.Observability;
using Keepsake.Tests.Observability;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Keepsake.Tests.Backups;

/// <summary>What the admin page and the metrics say about the photos' second copy: none while no target is set; the last
/// complete run, the generation and what was copied once one is, whoever ran the copies.</summary>
public sealed class PhotoBackupStatusTests
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    private static async Task<long> GaugeAsync(KeepsakeApp app, string instrument, Func<long, bool> until)
    {
        using var collector = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), KeepsakeMetrics.MeterName, instrument);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            collector.RecordObservableInstruments();
            var value = collector.LastMeasurement?.Value ?? -1;
            if (until(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Without_a_target_the_admin_status_and_the_metrics_say_the_photos_have_no_second_copy()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var member = await app.CreateUserAsync(owner, "member@example.com");

        var status = await owner.GetFromJsonAsync<PhotoBackupStatusDto>("/api/admin/photo-backup");

        Assert.False(status!.Enabled);
        Assert.Null(status.LastSuccessAt);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/admin/photo-backup")).StatusCode);
        Assert.Equal(0, await GaugeAsync(app, KeepsakeMetrics.PhotoBackupEnabled, v => v >= 0));
        Assert.Equal(0, await GaugeAsync(app, KeepsakeMetrics.PhotoBackupLastSuccess, v => v >= 0));
    }

    [Fact]
    public async Task With_a_target_the_admin_status_and_the_metrics_show_the_last_complete_run_its_generation_and_the_copies()
    {
        using var target = new TemporaryFolder();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Backups:Photos:Provider"] = "filesystem",
            ["Backups:Photos:Path"] = target.Path,
            ["Management:BackupStatisticsInterval"] = "00:00:01",
        });
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var size = new FileInfo(TestData.Photo("no-exif-casio.jpg")).Length;
        var before = await owner.GetFromJsonAsync<PhotoBackupStatusDto>("/api/admin/photo-backup");
        Assert.True(before!.Enabled);
        Assert.Null(before.LastSuccessAt);
        Assert.Equal($"folder {target.Path}", before.Target);

        // Run by "someone else" (a person, a CronJob): the server learns of it from the database and the target.
        var run = await CliRunner.RunAsync(app, "backup photos");
        Assert.True(run.ExitCode == 0, Describe(run));

        var status = await owner.GetFromJsonAsync<PhotoBackupStatusDto>("/api/admin/photo-backup");
        Assert.NotNull(status!.LastSuccessAt);
        Assert.Equal((1L, 1L, size, 0), (status.Generation, status.Copies, status.CopiedBytes, status.LastRunFailed));
        Assert.Null(status.Problem);
        Assert.Equal(1, await GaugeAsync(app, KeepsakeMetrics.PhotoBackupEnabled, v => v == 1));
        Assert.Equal(status.LastSuccessAt.Value.ToUnixTimeSeconds(), await GaugeAsync(app, KeepsakeMetrics.PhotoBackupLastSuccess, v => v > 0));
        Assert.Equal(1, await GaugeAsync(app, KeepsakeMetrics.PhotoBackupObjects, v => v > 0));
        Assert.Equal(size, await GaugeAsync(app, KeepsakeMetrics.PhotoBackupSize, v => v > 0));
        Assert.Equal(1, await GaugeAsync(app, KeepsakeMetrics.PhotoBackupGeneration, v => v > 0));
    }

    [Fact]
    public void The_dashboard_shows_the_age_of_the_last_complete_photo_backup_and_the_copies()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.Dashboard));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Title: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToList();

        Assert.Contains(expressions, e => e.Title.Contains("photo backup", StringComparison.Ordinal) && e.Expr.Contains("keepsake_photo_backup_last_success_timestamp_seconds", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Expr.Contains("keepsake_photo_backup_objects", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Expr.Contains("keepsake_photo_backup_size_bytes", StringComparison.Ordinal));
    }
}
