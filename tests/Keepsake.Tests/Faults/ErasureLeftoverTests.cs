using Keepsake.Accounts;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// Files left in the folder of an erased user (an upload that raced the erasure, or a crash in the middle of one) are
/// erasure leftovers: <c>keepsake fsck</c> names them whatever their age and <c>--repair</c> removes them. One server for
/// the class: each test leaves the library clean.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class ErasureLeftoverTests(ErasureLeftoverTests.Library library) : IClassFixture<ErasureLeftoverTests.Library>
{
    public sealed class Library : IDisposable
    {
        public KeepsakeApp App { get; } = new();

        public Lazy<Task<HttpClient>> Admin { get; }

        public Library() => Admin = new(() => App.CreateOwnerAsync());

        public void Dispose() => App.Dispose();
    }

    private static string Describe(CliResult result) => $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";

    [Fact]
    public async Task A_file_written_into_an_erased_users_folder_is_an_erasure_leftover_whatever_its_age_and_repair_removes_it()
    {
        var app = library.App;
        var admin = await library.Admin.Value;
        var email = $"leaver-{Guid.NewGuid():N}@example.com";
        var leaver = await app.CreateUserAsync(admin, email);
        await KeepsakeApp.UploadPhotoAsync(leaver, TestData.Photo("no-exif-casio.jpg"));
        var leaverId = (await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>()).Single(u => u.Email == email).Id;
        await (await admin.DeleteAsync($"/api/admin/users/{leaverId}")).EnsureSuccessAsync();
        // What an upload racing the erasure writes after the erasure swept the user's folders: files, no row.
        var late = PhotoBlobs.All(leaverId, Guid.CreateVersion7());
        foreach (var key in late)
        {
            await app.WriteStoredFileAsync(key, [1, 2, 3]);
        }

        var check = await CliRunner.RunAsync(app, "fsck");
        var repair = await CliRunner.RunAsync(app, "fsck --repair");

        Assert.True(check.ExitCode == 1, Describe(check));
        Assert.Equal(late.Select(k => $"erasure leftover {k} (3 bytes) of erased user {leaverId}").Order(StringComparer.Ordinal),
            check.Lines.Where(l => l.StartsWith("erasure leftover ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(check.Lines, l => l.StartsWith("recent file", StringComparison.Ordinal));
        Assert.StartsWith($"problems: 0 missing, 0 orphan, {late.Count} erasure leftover,", check.Lines[^1], StringComparison.Ordinal);

        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.Equal(late.Count, repair.Lines.Count(l => l.StartsWith("erasure leftover ", StringComparison.Ordinal) && l.EndsWith(" removed", StringComparison.Ordinal)));
        Assert.DoesNotContain(app.StoredFiles(), k => k.Contains(leaverId.ToString("N"), StringComparison.Ordinal) && PhotoBlobs.OwnerIdOf(k) is not null);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task A_file_of_an_owner_the_erasure_ledger_does_not_name_is_no_erasure_leftover_and_waits_for_the_minimum_age()
    {
        var app = library.App;
        await library.Admin.Value;
        // An owner no account has, nor the ledger: a database restored from before the user existed, say. Only age decides.
        var stranger = PhotoBlobs.Original(Guid.NewGuid(), Guid.NewGuid());
        await app.WriteStoredFileAsync(stranger, [1, 2, 3]);

        var young = await CliRunner.RunAsync(app, "fsck --repair");
        var old = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");

        Assert.True(young.ExitCode == 0, Describe(young));
        Assert.Contains($"recent file {stranger} has no photo yet (an upload may be in progress); left alone", young.Lines);
        Assert.DoesNotContain(young.Lines, l => l.StartsWith("erasure leftover", StringComparison.Ordinal));
        Assert.True(old.ExitCode == 0, Describe(old));
        Assert.Contains($"orphan file {stranger} (3 bytes) removed", old.Lines);
        Assert.DoesNotContain(stranger, app.StoredFiles());
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
