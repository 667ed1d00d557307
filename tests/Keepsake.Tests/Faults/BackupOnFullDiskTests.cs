using Keepsake.Tests.Backups;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// <c>keepsake backup create</c> when a disk it writes to is full (a tmpfs of a few megabytes): the data folder that holds
/// the backups, or the scratch folder where the dump is staged. It fails with exit 2 and one line saying what is wrong
/// and where (the scratch folder by name: SQLite's own "database or disk is full" would blame the database), no stack
/// trace, and leaves nothing: no partial or empty backup folder in the store, no scratch folder.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class BackupOnFullDiskTests
{
    [Fact]
    public async Task A_backup_onto_a_full_data_disk_fails_with_one_line_naming_the_disk_and_leaves_no_partial_backup_and_no_scratch_folder()
    {
        using var disk = SmallDisk.Mount(8 * 1024 * 1024);
        using var scratch = new TemporaryFolder();
        // The library's photos are uploaded to the small disk: no free-space margin. The app's own upload staging stays elsewhere.
        var settings = EmbeddedStack.Settings(new() { ["Backups:TemporaryPath"] = scratch.Path, ["Photos:MinimumFreeBytes"] = "0" }, disk.Path);
        using var app = new KeepsakeApp(settings);
        await BackupTestKit.CreateLibraryAsync(app);
        var earlier = await BackupTestKit.CreateBackupAsync(app);
        var backups = Path.Combine(disk.Path, "backups");
        var before = Directory.GetFileSystemEntries(backups, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        disk.Fill(leaveFreeBytes: 0);

        var result = await CliRunner.RunAsync(app, "backup create");

        Assert.True(result.ExitCode == 2, CliTranscript.Describe(result));
        CliTranscript.AssertNoStackTrace(result);
        var fault = Assert.Single(CliTranscript.ErrorLines(result));
        Assert.StartsWith("error: backup create stopped: no space left on the disk: ", fault, StringComparison.Ordinal);
        Assert.Contains(disk.Path, fault, StringComparison.Ordinal);
        Assert.Empty(result.Lines);
        Assert.Equal(before, Directory.GetFileSystemEntries(backups, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        var list = await CliRunner.RunAsync(app, "backup list");
        Assert.Equal([earlier], list.Lines.Skip(1).Select(l => l.Split(' ')[0]));
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task A_backup_whose_scratch_disk_is_full_fails_with_one_line_naming_that_disk_and_leaves_nothing()
    {
        using var disk = SmallDisk.Mount(1024 * 1024);
        using var app = new KeepsakeApp(EmbeddedStack.Settings(new() { ["Backups:TemporaryPath"] = disk.Path }));
        await BackupTestKit.CreateLibraryAsync(app);
        // Room for the scratch folder and its lock file, not for a copy of the database.
        disk.Fill(leaveFreeBytes: 64 * 1024);

        var result = await CliRunner.RunAsync(app, "backup create");

        Assert.True(result.ExitCode == 2, CliTranscript.Describe(result));
        CliTranscript.AssertNoStackTrace(result);
        var fault = Assert.Single(CliTranscript.ErrorLines(result));
        Assert.StartsWith($"error: There is no room left in {disk.Path} to stage the backup", fault, StringComparison.Ordinal);
        Assert.Empty(app.StoredBackups());
        Aftermath.AssertNoScratchFolders(disk.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
