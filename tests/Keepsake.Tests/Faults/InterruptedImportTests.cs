using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Faults;

/// <summary>
/// <c>keepsake import</c> stopped halfway through a folder: by SIGTERM (what Kubernetes and systemd send), by SIGINT
/// (Ctrl+C), or killed outright. A signal stops it between two photos, within seconds, with its summary line and exit
/// 130; what it imported is whole (each row with its files), nothing stays staged, and running the same import again
/// brings in the rest. A killed run leaves its staging folder to the next run, which removes it.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait(Drill.Category, Drill.Name)]
public sealed class InterruptedImportTests
{
    private const string Owner = "owner@example.com";

    /// <summary>
    /// Small photos (a few tens of milliseconds each, checked two or more at once): enough that the run is still going when
    /// the signal lands on a busy machine, and short.
    /// </summary>
    private const int Photos = 200;

    private static readonly string Source = TestData.Photo("no-exif-casio.jpg");

    [Theory]
    [InlineData(PosixSignal.SIGTERM)]
    [InlineData(PosixSignal.SIGINT)]
    public async Task An_import_stopped_by_a_signal_prints_its_summary_exits_130_keeps_only_whole_photos_and_the_next_run_imports_the_rest(PosixSignal signal)
    {
        using var scratch = new TemporaryFolder();
        using var app = new KeepsakeApp(Aftermath.ScratchIn(scratch.Path));
        var owner = await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        var names = PhotoCopies.Write(Source, folder.Path, Photos);

        await using var import = CliProcess.Start(app, $"import \"{folder.Path}\" --user {Owner}");
        await import.WaitForLineAsync(line => line == $"imported {names[0]}", TimeSpan.FromMinutes(1));
        import.Signal(signal);
        var signalled = Stopwatch.StartNew();
        var result = await import.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var stoppedWithin = signalled.Elapsed;

        Assert.True(result.ExitCode == 130, CliTranscript.Describe(result));
        Assert.True(stoppedWithin < TimeSpan.FromSeconds(5), $"stopped {stoppedWithin.TotalSeconds:0.0} s after the signal\n{CliTranscript.Describe(result)}");
        CliTranscript.AssertNoStackTrace(result);
        var imported = result.Lines.Count(l => l.StartsWith("imported photo-", StringComparison.Ordinal));
        Assert.InRange(imported, 1, Photos - 1);
        Assert.Equal($"imported {imported}, skipped 0, ignored 0, failed 0, left {Photos - imported}; interrupted", result.Lines[^1]);
        Assert.Contains($"{signal}: stopping at the next safe point; send it again to stop at once", result.Error, StringComparison.Ordinal);
        Assert.Equal(imported, (await owner.GetPageAsync("/api/photos?limit=500")).Items.Count);
        Assert.Equal(PhotoTestKit.FilesPerPhoto * imported, (await StoredPhotoFiles.ListAsync(app)).Count);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);

        var rest = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.True(rest.ExitCode == 0, CliTranscript.Describe(rest));
        Assert.Equal($"imported {Photos - imported}, skipped {imported}, ignored 0, failed 0", rest.Lines[^1]);
        Assert.Equal(Photos, (await owner.GetPageAsync("/api/photos?limit=500")).Items.Count);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task A_killed_import_leaves_its_private_staging_folder_which_the_next_run_removes_before_it_imports_the_rest()
    {
        using var scratch = new TemporaryFolder();
        using var app = new KeepsakeApp(Aftermath.ScratchIn(scratch.Path));
        var owner = await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        var names = PhotoCopies.Write(Source, folder.Path, Photos);

        await using (var import = CliProcess.Start(app, $"import \"{folder.Path}\" --user {Owner}"))
        {
            await import.WaitForLineAsync(line => line == $"imported {names[0]}", TimeSpan.FromMinutes(1));
            await import.KillHardAsync();
        }
        var left = Assert.Single(Directory.GetDirectories(scratch.Path, "keepsake-uploads-*"));
        ScratchFolderAssert.Private(left);

        // A kill between a photo's files and its row leaves files without a row, as a crash does: fsck's to remove.
        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");
        Assert.False(Directory.Exists(left), "the next run did not remove the killed run's staging folder");
        Assert.True(repair.ExitCode == 0, CliTranscript.Describe(repair));
        var rest = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.True(rest.ExitCode == 0, CliTranscript.Describe(rest));
        Assert.Equal(Photos, (await owner.GetPageAsync("/api/photos?limit=500")).Items.Count);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
