using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Faults;

/// <summary>
/// <c>keepsake import</c> onto a data folder on a small disk (a tmpfs) that fills up. The rest of the folder could not be
/// stored either, so the import stops at the first photo that does not fit, with its summary line saying what was done
/// and why it stopped, one line naming the fault and where, and exit 1; the photo in hand leaves nothing (no staged
/// file, no file without a row). The same holds when the free-space margin refuses the photo before the disk is full.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class ImportOnFullDiskTests
{
    private const string Owner = "owner@example.com";
    private const int Photos = 20;

    [Fact]
    public async Task An_import_that_fills_the_data_disk_stops_at_the_first_photo_that_does_not_fit_with_its_summary_and_exit_1_and_leaves_nothing_of_that_photo()
    {
        using var disk = SmallDisk.Mount(8 * 1024 * 1024);
        using var scratch = new TemporaryFolder();
        var settings = EmbeddedStack.Settings(Aftermath.ScratchIn(scratch.Path), disk.Path);
        // No margin: the disk really fills, as when something else takes the space between two checks.
        settings["Photos:MinimumFreeBytes"] = "0";
        using var app = new KeepsakeApp(settings);
        var owner = await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        PhotoCopies.Write(TestData.Photo("orientation-1-landscape.jpg"), folder.Path, Photos);
        disk.Fill(leaveFreeBytes: 2 * 1024 * 1024);

        var result = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.True(result.ExitCode == 1, CliTranscript.Describe(result));
        CliTranscript.AssertNoStackTrace(result);
        var imported = result.Lines.Count(l => l.StartsWith("imported photo-", StringComparison.Ordinal));
        Assert.InRange(imported, 1, Photos - 1);
        Assert.DoesNotContain(result.Lines, l => l.StartsWith("failed ", StringComparison.Ordinal));
        Assert.Equal($"imported {imported}, skipped 0, ignored 0, failed 0, left {Photos - imported}; stopped: no space left on the disk", result.Lines[^1]);
        var fault = Assert.Single(CliTranscript.ErrorLines(result));
        Assert.StartsWith($"error: the import stopped at photo-{imported:000}.jpg: no space left on the disk: ", fault, StringComparison.Ordinal);
        Assert.Contains(disk.Path, fault, StringComparison.Ordinal);
        await AssertStoredAsync(app, owner, imported);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task An_import_onto_a_disk_below_the_free_space_margin_stops_at_the_first_photo_with_its_summary_and_exit_1()
    {
        using var disk = SmallDisk.Mount(8 * 1024 * 1024);
        using var scratch = new TemporaryFolder();
        using var app = new KeepsakeApp(EmbeddedStack.Settings(Aftermath.ScratchIn(scratch.Path), disk.Path));
        var owner = await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        PhotoCopies.Write(TestData.Photo("no-exif-casio.jpg"), folder.Path, Photos);

        var result = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.True(result.ExitCode == 1, CliTranscript.Describe(result));
        CliTranscript.AssertNoStackTrace(result);
        Assert.Equal($"imported 0, skipped 0, ignored 0, failed 0, left {Photos}; stopped: not enough free space", result.Lines[^1]);
        Assert.Contains(CliTranscript.ErrorLines(result), l => l.StartsWith("error: the import stopped at photo-000.jpg: not enough free space", StringComparison.Ordinal));
        await AssertStoredAsync(app, owner, 0);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    /// <summary>The timeline shows <paramref name="count"/> photos, and the store holds their three files each and nothing more.</summary>
    private static async Task AssertStoredAsync(KeepsakeApp app, HttpClient owner, int count)
    {
        Assert.Equal(count, (await owner.GetPageAsync("/api/photos?limit=500")).Items.Count);
        Assert.Equal(PhotoTestKit.FilesPerPhoto * count, (await StoredPhotoFiles.ListAsync(app)).Count);
    }
}
