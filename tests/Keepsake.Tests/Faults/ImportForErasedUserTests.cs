using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// <c>keepsake import</c> for a user whom an admin erases (here with <c>keepsake user erase</c>, from another process)
/// while the import runs: the import stops at the next photo with its summary and a non-zero exit, says why in words,
/// and no file of the erased user stays behind.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class ImportForErasedUserTests
{
    private const string Admin = "admin@example.com";
    private const string Friend = "friend@example.com";

    /// <summary>Photos of a few hundred milliseconds each: the import is still busy when the erasure lands (it stops there).</summary>
    private const int Photos = 100;

    [Fact]
    public async Task An_import_for_a_user_erased_while_it_runs_stops_with_its_summary_and_exit_1_and_leaves_no_file_of_that_user()
    {
        using var scratch = new TemporaryFolder();
        using var app = new KeepsakeApp(Aftermath.ScratchIn(scratch.Path));
        var admin = await app.CreateOwnerAsync(Admin);
        await app.CreateUserAsync(admin, Friend);
        var friendId = (await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>()).Single(u => u.Email == Friend).Id;
        using var folder = new TemporaryFolder();
        var names = PhotoCopies.Write(TestData.Photo("orientation-1-landscape.jpg"), folder.Path, Photos);

        await using var import = CliProcess.Start(app, $"import \"{folder.Path}\" --user {Friend}");
        await import.WaitForLineAsync(line => line == $"imported {names[0]}", TimeSpan.FromMinutes(1));
        var erase = await CliRunner.RunAsync(app, $"user erase {Friend} --yes");
        var result = await import.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(erase.ExitCode == 0, CliTranscript.Describe(erase));
        Assert.True(result.ExitCode == 1, CliTranscript.Describe(result));
        CliTranscript.AssertNoStackTrace(result);
        var imported = result.Lines.Count(l => l.StartsWith("imported photo-", StringComparison.Ordinal));
        Assert.True(imported < Photos, "the erasure came after the import had finished:\n" + CliTranscript.Describe(result));
        Assert.DoesNotContain(result.Lines, l => l.StartsWith("failed ", StringComparison.Ordinal));
        Assert.Equal($"imported {imported}, skipped 0, ignored 0, failed 0, left {Photos - imported}; stopped: {Friend} was erased or disabled while the import ran", result.Lines[^1]);
        Assert.DoesNotContain(await StoredPhotoFiles.ListAsync(app), f => f.Contains(friendId.ToString("N"), StringComparison.Ordinal));
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
