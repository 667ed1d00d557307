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

    [Fact]
    public async Task A_folder_still_being_made_is_kept_though_its_owner_file_is_not_yet_locked_and_removed_once_old()
    {
        using var staging = new TemporaryFolder();
        var making = MakeFolderWithUnlockedOwner(staging.Path, ScratchFolder.MakingMark + UploadStaging.Prefix + "being-made");
        var abandoned = MakeFolderWithUnlockedOwner(staging.Path, ScratchFolder.MakingMark + UploadStaging.Prefix + "of-a-run-killed-making-it");
        Directory.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow - ScratchAreas.UnownedAge - TimeSpan.FromMinutes(1));
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:StagingPath"] = staging.Path });

        using var client = app.CreateClient();
        await (await client.GetAsync("/healthz/live")).EnsureSuccessAsync();

        Assert.True(Directory.Exists(making), "a folder being made, its owner file not yet locked, was taken for a dead run's");
        Assert.False(Directory.Exists(abandoned), "a folder left half made long ago was kept");
    }

    [Fact]
    public async Task A_staging_folder_appears_under_its_own_name_only_once_its_owner_file_is_locked()
    {
        using var staging = new TemporaryFolder();
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:StagingPath"] = staging.Path });
        var owner = await app.CreateOwnerAsync();

        await (await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();

        var folder = Assert.Single(Directory.GetDirectories(staging.Path));
        Assert.StartsWith(UploadStaging.Prefix, Path.GetFileName(folder), StringComparison.Ordinal);
        Assert.Throws<IOException>(() => new FileStream(Path.Combine(folder, ScratchFolder.OwnerFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None));
    }

    private static string MakeFolderWithUnlockedOwner(string parent, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        File.WriteAllText(Path.Combine(folder, ScratchFolder.OwnerFileName), "1\n");
        return folder;
    }
}
