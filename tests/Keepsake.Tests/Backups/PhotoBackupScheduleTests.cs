using System.Net;
using System.Text.Json;
using Keepsake.Backups;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Backups;

/// <summary>The embedded server's timer copies the photos after each database backup once a target is set, driven by a fake clock.</summary>
public sealed class PhotoBackupScheduleTests
{
    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private static IReadOnlyList<string> Manifests(KeepsakeApp app) =>
        app.StoredFiles().Where(f => f.StartsWith("backups/", StringComparison.Ordinal) && f.EndsWith("/manifest.json", StringComparison.Ordinal)).ToList();

    /// <summary>The generation the target's record says it finished; 0 before the first run ends (the record is written last).</summary>
    private static long RecordedGeneration(TemporaryFolder target)
    {
        var record = Path.Combine(target.Path, "keepsake-photo-backup.json");
        if (!File.Exists(record))
        {
            return 0;
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(record));
        return document.RootElement.GetProperty("generation").GetInt64();
    }

    [Fact]
    public async Task Each_scheduled_backup_is_followed_by_a_copy_of_the_photos_it_names()
    {
        using var target = new TemporaryFolder();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Backups:Schedule:Enabled"] = "true",
            ["Backups:Photos:Provider"] = "filesystem",
            ["Backups:Photos:Path"] = target.Path,
        });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.Zero));
        using var server = app.WithClock(clock);
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/healthz/live")).StatusCode);
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(() => RecordedGeneration(target) == 1, "the photo copy run after the first scheduled backup");
        Assert.Single(target.Files("sha256"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(() => RecordedGeneration(target) == 2, "the photo copy run after the second scheduled backup");
        Assert.Equal(2, target.Files("sha256").Count);

        var generations = new List<long?>();
        foreach (var manifest in Manifests(app).Order(StringComparer.Ordinal))
        {
            generations.Add(JsonSerializer.Deserialize<BackupManifest>(await app.ReadStoredFileAsync(manifest), new JsonSerializerOptions(JsonSerializerDefaults.Web))!.PhotoCopyGeneration);
        }
        // Each backup was taken while its newest photo still waited for the copy run that followed it.
        Assert.Equal([1L, 2L], generations);
    }

    [Fact]
    public async Task A_scheduled_copy_while_another_run_holds_the_lock_is_skipped_and_the_next_one_copies()
    {
        using var target = new TemporaryFolder();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Backups:Schedule:Enabled"] = "true",
            ["Backups:Photos:Provider"] = "filesystem",
            ["Backups:Photos:Path"] = target.Path,
        });
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.Zero));
        using var server = app.WithClock(clock);
        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/healthz/live")).StatusCode);
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            // A person's 'keepsake backup photos' (or a CronJob's) under way while the timer fires.
            await using var held = await PhotoBackupRunLock.TryTakeAsync(
                scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>(), scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value, CancellationToken.None);
            Assert.NotNull(held);
            clock.Advance(TimeSpan.FromHours(1));
            // The first backup's verification runs after the photo step: once it is there, that step is over.
            await WaitUntilAsync(() => app.StoredFiles().Any(f => f.EndsWith("/verification.json", StringComparison.Ordinal)), "the first scheduled backup and its verification");
        }

        Assert.Empty(target.Files("sha256"));
        Assert.Single(Manifests(app));
        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(() => RecordedGeneration(target) == 1, "the photo copy run after the second scheduled backup");
        Assert.Single(target.Files("sha256"));
    }
}
