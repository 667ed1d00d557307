using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Operations;

/// <summary>The embedded server's own <c>fsck --repair</c>, driven by a fake clock.</summary>
public sealed class FsckScheduleTests
{
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private static async Task<bool> StoredAsync(WebApplicationFactory<Program> server, string key) =>
        await server.Services.GetRequiredService<IBlobStore>().ExistsAsync(key, CancellationToken.None);

    [Fact]
    public async Task Every_interval_the_server_removes_erasure_leftovers_at_once_orphans_once_old_enough_and_marks_photos_whose_original_is_gone()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Fsck:Schedule:Enabled"] = "true" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = app.WithClock(clock);
        using var repairs = new MetricCollector<long>(server.Services.GetRequiredService<IMeterFactory>(), KeepsakeMetrics.MeterName, KeepsakeMetrics.FsckRepairs);
        var store = server.Services.GetRequiredService<IBlobStore>();
        var owner = await server.SetUpOwnerAsync();
        var kept = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var lost = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var ownerId = PhotoBlobs.OwnerIdOf((await store.ListAsync(PhotoBlobs.OriginalsPrefix, CancellationToken.None).FirstAsync()).Key)!.Value;
        await store.DeleteAsync(PhotoBlobs.Original(ownerId, lost.Id), CancellationToken.None);
        var leaver = await (await owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto("leaver@example.com", KeepsakeApp.DefaultPassword, false))).ReadAsync<UserDto>();
        await (await owner.DeleteAsync($"/api/admin/users/{leaver.Id}")).EnsureSuccessAsync();
        var leftover = PhotoBlobs.Original(leaver.Id, Guid.CreateVersion7());
        var orphan = PhotoBlobs.Original(ownerId, Guid.CreateVersion7());
        foreach (var key in new[] { leftover, orphan })
        {
            using var content = new MemoryStream([1, 2, 3]);
            await store.WriteAsync(key, content, CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(500);
        Assert.True(await StoredAsync(server, leftover));

        // First run: the leftover goes whatever its age; the orphan, written after the clock's start, is still recent.
        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(async () => !await StoredAsync(server, leftover), "the first scheduled repair");
        await WaitUntilAsync(async () => (await PhotoTestKit.TimelineAsync(owner)).Any(p => p.Missing), "the lost photo marked missing");
        Assert.True(await StoredAsync(server, orphan));
        Assert.Equal(new[] { (kept.Id, false), (lost.Id, true) }, (await PhotoTestKit.TimelineAsync(owner)).Select(p => (p.Id, p.Missing)).OrderBy(p => p.Missing));

        // An hour later it is an orphan old enough to go.
        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => !await StoredAsync(server, orphan), "the second scheduled repair");

        Assert.True(await StoredAsync(server, PhotoBlobs.Original(ownerId, kept.Id)));
        long Count(string action) => repairs.GetMeasurementSnapshot().Where(m => m.Tags["keepsake.fsck.action"] as string == action).Sum(m => m.Value);
        // A repair is counted just after its file goes: wait for the count rather than race it.
        await WaitUntilAsync(() => Task.FromResult(Count("orphan_removed") > 0), "the orphan's removal counted");
        Assert.Equal((1, 1, 1), (Count("erasure_leftover_removed"), Count("orphan_removed"), Count("photo_marked_missing")));
    }
}
