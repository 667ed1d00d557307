using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Storage;

/// <summary>
/// The sweep at start removes the scratch folders of runs that died and nothing else, whatever the server's clock says:
/// a folder without its owner file is another run's made an instant ago unless the system clock says it is old.
/// </summary>
[Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
public sealed class ScratchSweepTests
{
    [Fact]
    public async Task A_server_whose_clock_runs_ahead_keeps_a_folder_made_an_instant_ago_and_removes_an_old_unowned_one()
    {
        using var staging = new TemporaryFolder();
        var fresh = Directory.CreateDirectory(Path.Combine(staging.Path, UploadStaging.Prefix + "made-an-instant-ago")).FullName;
        var old = Directory.CreateDirectory(Path.Combine(staging.Path, UploadStaging.Prefix + "of-a-run-killed-long-ago")).FullName;
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow - ScratchAreas.UnownedAge - TimeSpan.FromMinutes(1));
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:StagingPath"] = staging.Path });

        using var server = app.WithClock(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30)));
        using var client = server.CreateClient();
        await (await client.GetAsync("/healthz/live")).EnsureSuccessAsync();

        Assert.True(Directory.Exists(fresh), "a folder made an instant ago, its owner file yet to come, was taken for a dead run's");
        Assert.False(Directory.Exists(old), "an unowned folder older than the unowned age was kept");
    }
}
