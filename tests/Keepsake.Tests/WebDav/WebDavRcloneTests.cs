using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Tests.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.WebDav;

/// <summary>A real WebDAV client, rclone, backing a folder of photos up to a real server and fetching it back, as a phone or a laptop would.</summary>
public sealed class WebDavRcloneTests(WebDavRcloneTests.Server server) : IClassFixture<WebDavRcloneTests.Server>
{
    private static readonly string[] Photos = ["gps-apple-iphone4.jpg", "tiny-1x1-apple-iphone-xr.jpg", "no-exif-casio.jpg"];

    public sealed class Server : IAsyncLifetime
    {
        private int _users;

        public KeepsakeApp App { get; } = new();

        public ServerProcess Process { get; private set; } = null!;

        public HttpClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Process = await ServerProcess.StartAsync(App);
            Admin = BrowserClients.CreateBrowserClient(Process.PublicAddress);
            await (await Admin.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        }

        /// <summary>A new user's session and rclone holding a full key of theirs.</summary>
        public async Task<(HttpClient Session, Rclone Rclone)> NewUserAsync()
        {
            var email = $"rclone-{Interlocked.Increment(ref _users)}@example.com";
            await (await Admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, false))).EnsureSuccessAsync();
            var session = BrowserClients.CreateBrowserClient(Process.PublicAddress);
            await (await session.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
            var key = await session.CreateKeyAsync("full", "rclone");
            return (session, new Rclone(Process.PublicAddress, email, key.Key));
        }

        public async Task DisposeAsync()
        {
            Admin.Dispose();
            await Process.DisposeAsync();
            App.Dispose();
        }
    }

    [Fact]
    public async Task A_folder_copied_up_is_listed_by_year_and_month_and_copying_again_stores_nothing_twice()
    {
        var (session, rclone) = await server.NewUserAsync();
        using var folder = PhotoFolder();

        await rclone.RunAsync("copy", folder.Path, "ks:Photos");
        await rclone.RunAsync("copy", folder.Path, "ks:Photos");
        // Checking each file where it was sent, rather than listing Photos/ (which shows months), rclone sees they are there.
        var checkedEach = await rclone.RunAsync("copy", folder.Path, "ks:Photos", "--no-traverse");
        var listed = (await rclone.RunAsync("lsf", "-R", "ks:")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(Photos.Length, (await session.GetPageAsync("/api/photos")).Items.Count);
        Assert.Contains("There was nothing to transfer", checkedEach, StringComparison.Ordinal);
        Assert.Contains("Albums/", listed);
        Assert.Contains("Photos/2011/01/gps-apple-iphone4.jpg", listed);
        Assert.Contains("Photos/2020/09/tiny-1x1-apple-iphone-xr.jpg", listed);
        Assert.Contains($"Photos/{DateTime.UtcNow:yyyy}/{DateTime.UtcNow:MM}/no-exif-casio.jpg", listed);
    }

    [Fact]
    public async Task A_folder_copied_into_an_album_folder_makes_the_album()
    {
        var (session, rclone) = await server.NewUserAsync();
        using var folder = PhotoFolder();

        await rclone.RunAsync("copy", folder.Path, "ks:Albums/Holiday");

        var album = Assert.Single(await session.ListAlbumsAsync());
        Assert.Equal("Holiday", album.Name);
        Assert.Equal(Photos.Length, album.PhotoCount);
    }

    [Fact]
    public async Task Mkdir_makes_an_album_and_deletefile_puts_a_photo_in_the_trash()
    {
        var (session, rclone) = await server.NewUserAsync();
        using var folder = PhotoFolder();
        await rclone.RunAsync("copy", folder.Path, "ks:Photos");

        await rclone.RunAsync("mkdir", "ks:Albums/Trip");
        await rclone.RunAsync("deletefile", "ks:Photos/2011/01/gps-apple-iphone4.jpg");

        Assert.Equal(["Trip"], (await session.ListAlbumsAsync()).Select(a => a.Name));
        Assert.Equal(Photos.Length - 1, (await session.GetPageAsync("/api/photos")).Items.Count);
        var trash = await (await session.GetAsync("/api/trash")).ReadAsync<Keepsake.Photos.Trash.TrashPageDto>();
        Assert.Single(trash.Items);
    }

    [Fact]
    public async Task Photos_copied_back_down_are_the_originals_byte_for_byte()
    {
        var (_, rclone) = await server.NewUserAsync();
        using var folder = PhotoFolder();
        using var back = new TemporaryFolder();
        await rclone.RunAsync("copy", folder.Path, "ks:Photos");

        await rclone.RunAsync("copy", "ks:Photos", back.Path);

        var fetched = Directory.GetFiles(back.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(Photos.Order(), fetched.Select(Path.GetFileName).Order());
        foreach (var file in fetched)
        {
            Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo(Path.GetFileName(file))), await File.ReadAllBytesAsync(file));
        }
        Assert.Contains(fetched, f => f.EndsWith(Path.Combine("2011", "01", "gps-apple-iphone4.jpg"), StringComparison.Ordinal));
    }

    private static TemporaryFolder PhotoFolder()
    {
        var folder = new TemporaryFolder();
        foreach (var name in Photos)
        {
            File.Copy(TestData.Photo(name), Path.Combine(folder.Path, name));
        }
        return folder;
    }
}
