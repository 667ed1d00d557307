using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using Keepsake.Accounts;
using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>
/// What a Keepsake server writes is readable by the user it runs as only: uploads wait in a folder of the
/// process's own (0700, never a path someone made beforehand, gone when it stops), with files 0600; the data
/// folder is 0700 and the database (with its -wal and -shm) and every blob 0600, including what an earlier release
/// left open. Seen from outside: a real server process whose temporary folder (TMPDIR) the test looks into.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrivateFilesTests(PrivateFilesTests.Server server) : IClassFixture<PrivateFilesTests.Server>
{
    private static int _heldUploads;

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

    /// <summary>
    /// A server on the embedded default layout (the database inside the data folder) whatever the test stack, started
    /// over a data folder an earlier release left open (0755 folders, 0644 files) and with a link planted in its
    /// temporary folder where earlier releases staged uploads.
    /// </summary>
    public sealed class Server : IAsyncLifetime
    {
        public KeepsakeApp App { get; } = new(EmbeddedLayout);

        public string TemporaryFolder => Path.Combine(App.Folder.Path, "tmp");

        /// <summary>Where the planted link points: a folder anyone may write in.</summary>
        public string AttackerFolder => Path.Combine(App.Folder.Path, "attacker");

        public string DataFolder => Path.Combine(App.Folder.Path, "data");

        public ServerProcess Process { get; private set; } = null!;

        public HttpClient Owner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            LeaveAsAnEarlierReleaseDid(DataFolder);
            Directory.CreateDirectory(TemporaryFolder);
            Directory.CreateDirectory(AttackerFolder, (UnixFileMode)0x1FF);
            Directory.CreateSymbolicLink(Path.Combine(TemporaryFolder, "keepsake-uploads"), AttackerFolder);
            Process = await ServerProcess.StartAsync(App, environment: new Dictionary<string, string?> { ["TMPDIR"] = TemporaryFolder });
            Owner = Process.CreateBrowserClient();
            await (await Owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            App.Dispose();
        }
    }

    private static readonly Dictionary<string, string?> EmbeddedLayout = new()
    {
        ["Database:Provider"] = "sqlite",
        ["Database:ConnectionString"] = "Data Source=data/keepsake.db",
        ["Storage:Provider"] = "filesystem",
        ["Storage:Path"] = "data",
    };

    private static void LeaveAsAnEarlierReleaseDid(string data)
    {
        const UnixFileMode Open = (UnixFileMode)0x1ED; // 0755
        var folder = Directory.CreateDirectory(Path.Combine(data, "originals", "earlier"), Open).FullName;
        File.SetUnixFileMode(data, Open);
        File.SetUnixFileMode(Path.Combine(data, "originals"), Open);
        foreach (var file in new[] { Path.Combine(folder, "photo"), Path.Combine(data, "keepsake.db") })
        {
            File.WriteAllBytes(file, []);
            File.SetUnixFileMode(file, (UnixFileMode)0x1A4); // 0644
        }
    }

    [Fact]
    public async Task The_staging_folder_is_private_to_the_server()
    {
        var (staged, response) = await WhileAnUploadIsStagedAsync(stagingFolder =>
        {
            Assert.Null(new DirectoryInfo(stagingFolder).LinkTarget);
            Assert.Equal(PrivateFolder, File.GetUnixFileMode(stagingFolder));
            // The upload's file, and the lock that tells a sweeper at the next start that this folder's process is alive.
            Assert.Single(Directory.GetFiles(stagingFolder), f => Path.GetFileName(f) != ScratchFolder.OwnerFileName);
            Assert.All(Directory.GetFiles(stagingFolder), file => Assert.Equal(Private, File.GetUnixFileMode(file)));
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal([ScratchFolder.OwnerFileName], Directory.EnumerateFileSystemEntries(staged).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_planted_symlink_in_the_shared_temp_folder_does_not_redirect_uploads()
    {
        var planted = Path.Combine(server.TemporaryFolder, "keepsake-uploads");

        var (staged, response) = await WhileAnUploadIsStagedAsync(_ => Assert.Empty(Directory.EnumerateFileSystemEntries(server.AttackerFolder)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual(planted, staged);
        Assert.Equal(server.AttackerFolder, new DirectoryInfo(planted).LinkTarget);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.AttackerFolder));
    }

    [Fact]
    public async Task The_data_folder_and_database_are_readable_by_their_owner_only()
    {
        var upload = await KeepsakeApp.UploadAsync(server.Owner, TestData.Photo("alpha.png"));
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());

        var data = server.DataFolder;
        Assert.Equal(PrivateFolder, File.GetUnixFileMode(data));
        Assert.All(Directory.GetDirectories(data, "*", SearchOption.AllDirectories),
            folder => Assert.True(File.GetUnixFileMode(folder) == PrivateFolder, $"{folder} is {File.GetUnixFileMode(folder)}"));
        var files = Directory.GetFiles(data, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(data, f)).ToList();
        // The database with its write-ahead log, a new photo's three blobs, and the blob an earlier release left open.
        Assert.Contains("keepsake.db", files);
        Assert.Contains("keepsake.db-wal", files);
        Assert.Contains("keepsake.db-shm", files);
        Assert.Contains(Path.Combine("originals", "earlier", "photo"), files);
        Assert.Contains(files, f => f.StartsWith("thumbnails", StringComparison.Ordinal));
        Assert.All(files, file => Assert.True(File.GetUnixFileMode(Path.Combine(data, file)) == Private, $"{file} is {File.GetUnixFileMode(Path.Combine(data, file))}"));
    }

    [Fact]
    public async Task The_staging_folder_is_removed_when_the_server_stops()
    {
        using var app = new KeepsakeApp(EmbeddedLayout);
        var temporary = Directory.CreateDirectory(Path.Combine(app.Folder.Path, "tmp")).FullName;
        await using var process = await ServerProcess.StartAsync(app, environment: new Dictionary<string, string?> { ["TMPDIR"] = temporary });
        using var owner = process.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        await (await KeepsakeApp.UploadAsync(owner, TestData.Photo("no-exif-casio.jpg"))).EnsureSuccessAsync();
        Assert.Single(Directory.GetDirectories(temporary, "keepsake-uploads-*"));

        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.Empty(Directory.GetDirectories(temporary, "keepsake-uploads-*"));
    }

    /// <summary>
    /// Sends a photo whose body stops half-way, runs <paramref name="whileStaged"/> on the server's staging folder
    /// once the staged file is there, then lets the upload finish; returns the folder and the answer.
    /// </summary>
    private async Task<(string StagingFolder, HttpResponseMessage Response)> WhileAnUploadIsStagedAsync(Action<string> whileStaged)
    {
        // A photo of its own each time, so each upload stores a new one.
        var photo = Keepsake.Tests.Photos.PhotoTestKit.Variant(TestData.Photo("gps-apple-iphone4.jpg"), (byte)Interlocked.Increment(ref _heldUploads));
        using var upload = new HeldUpload([($"held-{Guid.NewGuid():N}.jpg", photo)], [], splitLastBefore: photo.Length / 2);
        var answer = server.Owner.PostAsync("/api/photos", upload);
        await upload.Sent.WaitAsync(TimeSpan.FromSeconds(30));
        var folder = await StagedFolderAsync();
        try
        {
            whileStaged(folder);
        }
        finally
        {
            upload.Release();
        }
        return (folder, await answer.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>The server's staging folder once a staged file is in it.</summary>
    private async Task<string> StagedFolderAsync()
    {
        for (var waited = 0; waited < 300; waited++)
        {
            var withFile = Directory.GetDirectories(server.TemporaryFolder, UploadStaging.Prefix + "*").FirstOrDefault(folder =>
                new DirectoryInfo(folder).LinkTarget is null && Directory.EnumerateFiles(folder).Any(f => Path.GetFileName(f) != ScratchFolder.OwnerFileName));
            if (withFile is not null)
            {
                return withFile;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No staged file appeared under {server.TemporaryFolder}.\n{server.Process.Output}");
    }
}
