using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Uploads;

/// <summary>
/// The real tus-js-client against the real server process, as a phone backs up: a whole upload, one whose connection is
/// cut half-way and resumes, and one whose server is killed and started again in the middle.
/// </summary>
public sealed class TusClientTests(TusClientTests.Server server) : IClassFixture<TusClientTests.Server>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public sealed class Server : IAsyncLifetime
    {
        public KeepsakeApp App { get; } = new();

        public ServerProcess Process { get; private set; } = null!;

        public CookieContainer Owner { get; } = new();

        public async Task InitializeAsync()
        {
            Process = await ServerProcess.StartAsync(App);
            await SetUpAsync(Process, Owner);
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            App.Dispose();
        }
    }

    [Fact]
    public async Task A_photo_uploaded_with_tus_js_client_is_stored_byte_for_byte()
    {
        using var folder = new TemporaryFolder();
        var file = PhotoOfSize(folder, "whole.jpg", 3_000_000, seed: 1);
        await using var client = await TusJsClient.StartAsync(server.Process.PublicAddress, server.Owner, Endpoint(server.Process.PublicAddress), file, chunkSize: null);

        var photoId = client.WaitForPhoto(Patience);

        await AssertStoredAsync(server.Process, server.Owner, photoId, file);
    }

    [Fact]
    public async Task A_connection_cut_half_way_resumes_from_what_the_server_kept()
    {
        using var folder = new TemporaryFolder();
        var file = PhotoOfSize(folder, "cut.jpg", 8_000_000, seed: 2);
        await using var proxy = new DroppingProxy(server.Process.PublicAddress, dropAfterBytes: 3_000_000);
        await using var client = await TusJsClient.StartAsync(server.Process.PublicAddress, server.Owner, Endpoint(proxy.Address), file, chunkSize: null);

        var photoId = client.WaitForPhoto(Patience);

        Assert.True(proxy.Dropped, "the proxy never cut the connection");
        var resumedFrom = Assert.Single(client.ResumedFrom());
        Assert.True(resumedFrom is > 1_000_000 and <= 3_000_000, $"resumed from {resumedFrom}:\n{client.Transcript}\n{server.Process.Output}");
        await AssertStoredAsync(server.Process, server.Owner, photoId, file);
    }

    [Fact]
    public async Task An_upload_resumes_after_the_server_is_killed_and_started_again_in_the_middle()
    {
        using var app = new KeepsakeApp();
        var process = await ServerProcess.StartAsync(app);
        try
        {
            var cookies = new CookieContainer();
            await SetUpAsync(process, cookies);
            using var folder = new TemporaryFolder();
            var file = PhotoOfSize(folder, "restart.jpg", 12_000_000, seed: 3);
            var port = process.PublicAddress.Port;
            await using var client = await TusJsClient.StartAsync(process.PublicAddress, cookies, Endpoint(process.PublicAddress), file, chunkSize: 500_000, holdAtOffset: 4_000_000);

            // The client waits before its next PATCH while the server dies, so the kill comes in the middle whatever the
            // machine's speed (a free-running client could finish 12 MB on loopback before the test got to kill anything).
            var heldAt = client.WaitUntilHeld(Patience);
            process.KillHard();
            await process.DisposeAsync();
            client.Release();
            process = await ServerProcess.StartAsync(app, publicPort: port);
            var photoId = client.WaitForPhoto(Patience);

            var resumedFrom = Assert.Single(client.ResumedFrom());
            Assert.True(resumedFrom == heldAt, $"resumed from {resumedFrom}, held at {heldAt}:\n{client.Transcript}");
            await AssertStoredAsync(process, cookies, photoId, file);
        }
        finally
        {
            await process.DisposeAsync();
        }
    }

    private static Uri Endpoint(Uri server) => new(server, "/api/uploads");

    /// <summary>First-run setup: the owner, signed in on <paramref name="cookies"/>.</summary>
    private static async Task SetUpAsync(ServerProcess process, CookieContainer cookies)
    {
        using var browser = process.CreateBrowserClient(cookies);
        await (await browser.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
    }

    /// <summary>A real JPEG followed by seeded random bytes up to <paramref name="size"/> (decoders stop at the image's end), unique per seed.</summary>
    private static string PhotoOfSize(TemporaryFolder folder, string name, int size, int seed)
    {
        var photo = File.ReadAllBytes(TestData.Photo("large-4608x3456-kodak-pixpro.jpg"));
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        photo.CopyTo(bytes, 0);
        var path = Path.Combine(folder.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task AssertStoredAsync(ServerProcess process, CookieContainer cookies, Guid photoId, string file)
    {
        using var browser = process.CreateBrowserClient(cookies);
        var original = await browser.GetAsync($"/api/photos/{photoId}/original");
        await original.EnsureSuccessAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))),
            Convert.ToHexStringLower(SHA256.HashData(await original.Content.ReadAsByteArrayAsync())));
    }
}
