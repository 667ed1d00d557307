using System.Diagnostics;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Security;

/// <summary>
/// <c>keepsake import</c> reads only what it was given: regular files below the folder. A link (to another user's
/// file, to /etc/passwd, or even to a photo inside the folder, which is imported on its own), a FIFO, a device or a
/// socket named like a photo is skipped, reported with the reason and counted, without blocking.
/// </summary>
public sealed class ImportSafetyTests(ImportSafetyTests.Library library) : IClassFixture<ImportSafetyTests.Library>
{
    private const string SymbolicLink = "a symbolic link: only regular files are imported";

    private static readonly TimeSpan ImportWithin = TimeSpan.FromMinutes(2);

    /// <summary>One server's data, set up with its owner; each test imports for a user of its own.</summary>
    public sealed class Library : IAsyncLifetime
    {
        private int _users;

        public KeepsakeApp App { get; } = new();

        public HttpClient Admin { get; private set; } = null!;

        public async Task InitializeAsync() => Admin = await App.CreateOwnerAsync();

        public async Task<(string Email, HttpClient Client)> CreateUserAsync()
        {
            var email = $"importer{Interlocked.Increment(ref _users)}@example.com";
            return (email, await App.CreateUserAsync(Admin, email));
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Import_does_not_follow_a_symlink_out_of_the_folder()
    {
        var (email, user) = await library.CreateUserAsync();
        using var folder = new TemporaryFolder();
        using var elsewhere = new TemporaryFolder();
        // Another user's photo, outside the folder being imported.
        var secret = Path.Combine(elsewhere.Path, "their-photo.jpg");
        File.Copy(TestData.Photo("gps-apple-iphone4.jpg"), secret);
        File.Copy(TestData.Photo("no-exif-casio.jpg"), Path.Combine(folder.Path, "mine.jpg"));
        File.CreateSymbolicLink(Path.Combine(folder.Path, "theirs.jpg"), secret);
        File.CreateSymbolicLink(Path.Combine(folder.Path, "passwd.jpg"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "their-folder"), elsewhere.Path);

        var result = await ImportAsync(folder, email);

        Assert.True(result.ExitCode == 0, Report(result));
        Assert.Equal(
            [
                "skipped their-folder (a linked folder: not entered)",
                "imported mine.jpg",
                $"skipped passwd.jpg ({SymbolicLink})",
                $"skipped theirs.jpg ({SymbolicLink})",
                "imported 1, skipped 3, ignored 0, failed 0",
            ],
            result.Lines);
        var only = Assert.Single(await PhotoTestKit.TimelineAsync(user));
        var details = await (await user.GetAsync($"/api/photos/{only.Id}")).ReadAsync<Keepsake.Photos.PhotoDetailsDto>();
        Assert.Equal("mine.jpg", details.FileName);
    }

    [Fact]
    public async Task A_symlink_inside_the_folder_is_skipped_and_the_file_it_points_to_imported_once()
    {
        var (email, user) = await library.CreateUserAsync();
        using var folder = new TemporaryFolder();
        var albums = Directory.CreateDirectory(Path.Combine(folder.Path, "albums")).FullName;
        File.Copy(TestData.Photo("alpha.png"), Path.Combine(albums, "alpha.png"));
        File.CreateSymbolicLink(Path.Combine(folder.Path, "favourite.png"), Path.Combine(albums, "alpha.png"));

        var result = await ImportAsync(folder, email);

        Assert.True(result.ExitCode == 0, Report(result));
        Assert.Equal(["imported albums/alpha.png", $"skipped favourite.png ({SymbolicLink})", "imported 1, skipped 1, ignored 0, failed 0"], result.Lines);
        Assert.Single(await PhotoTestKit.TimelineAsync(user));
    }

    [Fact]
    public async Task Import_skips_a_fifo_named_like_a_photo_without_blocking()
    {
        var (email, user) = await library.CreateUserAsync();
        using var folder = new TemporaryFolder();
        // Nothing ever writes to the FIFO: opening it for reading the usual way waits for a writer forever.
        MakeFifo(Path.Combine(folder.Path, "a.jpg"));
        File.Copy(TestData.Photo("no-exif-casio.jpg"), Path.Combine(folder.Path, "b.jpg"));

        var result = await ImportAsync(folder, email);

        Assert.True(result.ExitCode == 0, Report(result));
        Assert.Equal(
            ["skipped a.jpg (a FIFO (named pipe), not a regular file)", "imported b.jpg", "imported 1, skipped 1, ignored 0, failed 0"],
            result.Lines);
        Assert.Single(await PhotoTestKit.TimelineAsync(user));
    }

    [Fact]
    public async Task Import_skips_a_device_named_like_a_photo()
    {
        var (email, user) = await library.CreateUserAsync();
        using var folder = new TemporaryFolder();
        // /dev/zero reads forever: a link to it is skipped as a link; a device node inside the folder as a device.
        File.CreateSymbolicLink(Path.Combine(folder.Path, "zero.jpg"), "/dev/zero");
        var device = Path.Combine(folder.Path, "null.jpg");
        var made = MakeDeviceNode(device);

        var result = await ImportAsync(folder, email);

        Assert.True(result.ExitCode == 0, Report(result));
        Assert.Contains($"skipped zero.jpg ({SymbolicLink})", result.Lines);
        if (made)
        {
            Assert.Contains("skipped null.jpg (a device, not a regular file)", result.Lines);
        }
        Assert.Equal($"imported 0, skipped {(made ? 2 : 1)}, ignored 0, failed 0", result.Lines[^1]);
        Assert.Empty(await PhotoTestKit.TimelineAsync(user));
    }

    private async Task<CliResult> ImportAsync(TemporaryFolder folder, string email) =>
        await CliRunner.RunAsync(library.App, $"import \"{folder.Path}\" --user {email}").WaitAsync(ImportWithin);

    private static string Report(CliResult result) => $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>A character device like /dev/null (1:3); false where this user may not make one (not root).</summary>
    private static bool MakeDeviceNode(string path)
    {
        using var mknod = Process.Start(new ProcessStartInfo("mknod", [path, "c", "1", "3"]) { RedirectStandardError = true });
        mknod!.WaitForExit();
        return mknod.ExitCode == 0;
    }
}
