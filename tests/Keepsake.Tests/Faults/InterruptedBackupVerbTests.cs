using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// Backup verbs stopped while they work. Killed outright (SIGKILL: an OOM kill, a node lost), each leaves its staging in a
/// private scratch folder (0700, files 0600: it holds uncompressed copies of the database, e-mails and password hashes
/// among them) that the next verb to start removes, and on PostgreSQL a killed verification leaves a scratch database
/// (another full copy) that the next verification drops; stopped by SIGTERM, a verb cleans up itself and exits 130 with one line.
/// No backup an interrupted run began counts, a backup folder without its manifest is pruned once no run can still be
/// writing it, and the library is as it was. One library is shared by the tests of this class; it is big enough (a few
/// hundred thousand weather rows) that every verb is still busy when the test stops it after its first progress line.
/// </summary>
[SupportedOSPlatform("linux")]
[Trait(Drill.Category, Drill.Name)]
public sealed class InterruptedBackupVerbTests(BackedUpLibrary library) : IClassFixture<BackedUpLibrary>
{
    private readonly KeepsakeApp app = library.App;

    [Fact]
    public async Task A_killed_backup_create_leaves_a_private_scratch_folder_which_the_next_verb_removes_and_no_backup_that_counts()
    {
        var counted = await library.ListedBackupsAsync();

        var left = await KillAfterFirstStepAsync("backup create");

        await AssertNextVerbCleansUpAsync(left, counted);
    }

    [Fact]
    public async Task A_killed_backup_verify_leaves_a_private_scratch_folder_which_the_next_verb_removes_no_verification_and_a_scratch_database_the_next_verification_drops()
    {
        var counted = await library.ListedBackupsAsync();
        var before = await CliRunner.RunAsync(app, "backup list");

        // Killed while it restores into its scratch database (on PostgreSQL, once that database exists).
        var left = await KillWhileAsync($"backup verify {library.FirstBackup}", "[2/", async () => !library.UsesScratchDatabases || (await library.ScratchDatabasesAsync()).Count > 0);

        await AssertNextVerbCleansUpAsync(left, counted);
        Assert.Equal(VerifiedColumn(before, library.FirstBackup), VerifiedColumn(await CliRunner.RunAsync(app, "backup list"), library.FirstBackup));
        var verify = await CliRunner.RunAsync(app, $"backup verify {library.FirstBackup}");
        Assert.True(verify.ExitCode == 0, CliTranscript.Describe(verify));
        Assert.Empty(await library.ScratchDatabasesAsync());
    }

    [Fact]
    public async Task A_killed_backup_restore_leaves_a_private_scratch_folder_which_the_next_verb_removes_and_the_database_as_it_was()
    {
        var counted = await library.ListedBackupsAsync();
        var view = await library.OwnerViewAsync();

        var left = await KillAfterFirstStepAsync($"backup restore {library.FirstBackup} --yes");

        await AssertNextVerbCleansUpAsync(left, counted);
        Assert.Equal(view, await library.OwnerViewAsync());
    }

    [Fact]
    public async Task A_killed_backup_scrub_leaves_a_private_scratch_folder_which_the_next_verb_removes_and_the_backup_still_awaiting_its_scrub()
    {
        var counted = await library.ListedBackupsAsync();

        var transcript = "";
        var left = await KillAfterFirstStepAsync("backup scrub", run => transcript = run.Transcript);

        await AssertNextVerbCleansUpAsync(left, counted);
        var list = await CliRunner.RunAsync(app, "backup list");
        // Killed before it stored the scrubbed dump, the manifest names the old one, which still awaits its scrub. A fast
        // machine may get further between the first step's line and the kill, and the manifest may then name the new one:
        // the backups that count are the same either way (checked above).
        if (!transcript.Contains("storing the scrubbed dump", StringComparison.Ordinal))
        {
            Assert.Contains(list.Lines, l => l.StartsWith(library.FirstBackup, StringComparison.Ordinal) && l.Contains("awaits scrub", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_backup_create_stopped_by_SIGTERM_exits_130_with_one_line_and_leaves_no_partial_backup_and_no_scratch_folder()
    {
        var counted = await library.ListedBackupsAsync();

        await using var create = CliProcess.Start(app, "backup create");
        await create.WaitForLineAsync(line => line.StartsWith("[1/", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        create.Signal(PosixSignal.SIGTERM);
        var signalled = Stopwatch.StartNew();
        var result = await create.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 130, CliTranscript.Describe(result));
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(5), $"stopped {signalled.Elapsed.TotalSeconds:0.0} s after the signal");
        CliTranscript.AssertNoStackTrace(result);
        Assert.Equal("error: backup create interrupted by SIGTERM before it finished", Assert.Single(CliTranscript.ErrorLines(result)));
        Assert.Empty(result.Lines);
        Aftermath.AssertNoScratchFolders(library.Scratch.Path);
        Assert.Equal(counted, await library.ListedBackupsAsync());
        Assert.Equal(counted, app.StoredBackups());
    }

    [Fact]
    public async Task A_backup_folder_without_its_manifest_never_counts_and_prune_deletes_it_once_no_run_can_still_be_writing_it()
    {
        var counted = await library.ListedBackupsAsync();
        // What a create killed between its dump and its manifest leaves: one from long ago, and one that may still be in progress.
        const string Abandoned = "20200102T030405Z-abcdef";
        var recent = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-fedcba";
        await app.WriteStoredFileAsync($"backups/{Abandoned}/database.dump", [1, 2, 3]);
        await app.WriteStoredFileAsync($"backups/{recent}/database.dump", [1, 2, 3]);
        try
        {
            Assert.Equal(counted, await library.ListedBackupsAsync());

            var prune = await CliRunner.RunAsync(app, "backup prune");

            Assert.True(prune.ExitCode == 0, CliTranscript.Describe(prune));
            Assert.Contains($"deleted {Abandoned}: incomplete (no manifest), left by a run that did not finish", prune.Lines);
            Assert.DoesNotContain(prune.Lines, l => l.Contains(recent, StringComparison.Ordinal));
            Assert.Equal([.. counted, recent], app.StoredBackups());
        }
        finally
        {
            await app.DeleteStoredFileAsync($"backups/{recent}/database.dump");
        }
        Assert.Equal(counted, await library.ListedBackupsAsync());
    }

    private Task<IReadOnlyList<string>> KillAfterFirstStepAsync(string verb, Action<CliProcess>? killed = null) =>
        KillWhileAsync(verb, "[1/", () => Task.FromResult(true), killed);

    /// <summary>
    /// Starts the verb, kills it as soon as it reports <paramref name="step"/> and <paramref name="busy"/> holds, and returns the
    /// scratch folders it left, which must be private: the kill came while it worked, and the kernel let go of its lock.
    /// </summary>
    private async Task<IReadOnlyList<string>> KillWhileAsync(string verb, string step, Func<Task<bool>> busy, Action<CliProcess>? killed = null)
    {
        await using var run = CliProcess.Start(app, verb);
        await run.WaitForLineAsync(line => line.StartsWith(step, StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        var waited = Stopwatch.StartNew();
        while (!await busy())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"'{verb}' never got busy:\n{run.Transcript}");
            await Task.Delay(20);
        }
        await run.KillHardAsync();
        killed?.Invoke(run);
        var left = Directory.GetDirectories(library.Scratch.Path, "keepsake-backup-*");
        Assert.True(left.Length > 0, $"'{verb}' had finished before it was killed:\n{run.Transcript}");
        foreach (var folder in left)
        {
            ScratchFolderAssert.Private(folder);
        }
        return left;
    }

    /// <summary>The next verb (any) removes the killed run's folders at its start; the backups that count are those that did before.</summary>
    private async Task AssertNextVerbCleansUpAsync(IReadOnlyList<string> left, IReadOnlyList<string> counted)
    {
        var list = await CliRunner.RunAsync(app, "backup list");

        Assert.True(list.ExitCode == 0, CliTranscript.Describe(list));
        Assert.All(left, folder => Assert.False(Directory.Exists(folder), $"the next verb left {folder}"));
        Aftermath.AssertNoScratchFolders(library.Scratch.Path);
        Assert.Equal(counted, await library.ListedBackupsAsync());
        // Nothing in the store outside a complete backup: no dump without its manifest.
        Assert.Equal(counted, app.StoredBackups());
        await Aftermath.AssertFsckCleanAsync(app);
    }

    private static string VerifiedColumn(CliResult list, string id) =>
        list.Lines.Single(l => l.StartsWith(id, StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries)[^1];
}
