using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keepsake.Accounts;
using Keepsake.Tests.Accounts;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Uploads;

namespace Keepsake.Tests.Observability;

public sealed class LogTests
{
    private const string OwnerEmail = "dana.private@example.org";
    private const string OwnerPassword = "owner passphrase 1234";
    private const string FriendEmail = "friend.private@example.net";
    private const string AliceEmail = "alice.private@example.com";
    private const string WrongPassword = "wrong guess passphrase";
    private const string SharePassword = "share lock phrase";
    private const string PhotoFileName = "dana-birthday-surprise.jpg";
    private const string RefusedFileName = "dana-tax-return.pdf";

    /// <summary>Everything at Information with every request logged, as an operator debugging runs it; the request log is what would leak first.</summary>
    private static readonly Dictionary<string, string?> Verbose = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
        ["Logging:Format"] = "json",
        ["RequestLog:All"] = "true",
    };

    [Fact]
    public async Task A_session_with_logins_uploads_and_share_links_leaves_no_personal_data_in_the_logs()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, Verbose);

        var secrets = await RunSessionAsync(server);

        Assert.NotEmpty(server.Lines);
        foreach (var secret in secrets)
        {
            var leaks = server.Lines.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' is in the log:\n{string.Join('\n', leaks)}");
        }
    }

    [Fact]
    public async Task A_run_through_the_authorization_matrix_leaves_no_e_mail_password_or_share_token_in_the_logs()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, Verbose);
        using var admin = server.CreateBrowserClient();
        await (await admin.PostAsJsonAsync("/api/setup", new CredentialsDto(OwnerEmail, OwnerPassword))).EnsureSuccessAsync();
        var owner = await SignInNewUserAsync(server, admin, AliceEmail);
        var otherUser = await SignInNewUserAsync(server, admin, FriendEmail);
        using var anonymous = server.CreateBrowserClient();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync("Alice's album");
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id, password: SharePassword);
        var users = await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        var trashed = await AuthorizationMatrixTests.TrashedPhotoAsync(owner);
        var key = await owner.CreateKeyAsync("full");
        var upload = await Tus.CreateAsync(owner, "half-sent.jpg", 1000);
        var world = new AuthorizationMatrixTests.World(photo.Id, album.Id, share.Id, users.Single(u => u.Email == AliceEmail).Id, photo.ThumbnailUrl, trashed, key.Id, upload, AliceEmail);

        // Writes that change the world (a delete, a logout) come after every read of it, for each caller.
        using var device = new HttpClient { BaseAddress = server.PublicAddress };
        device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Key);
        foreach (var row in AuthorizationMatrixTests.Endpoints.OrderBy(r => r.Method == "GET" ? 0 : 1))
        {
            foreach (var caller in new[] { anonymous, otherUser, admin, device, owner })
            {
                using var request = row.Request(world);
                using var response = await caller.SendAsync(request);
            }
        }
        var requestLines = await WaitForRequestLinesAsync(server, AuthorizationMatrixTests.Endpoints.Length * 5);
        Assert.True(requestLines.Count >= AuthorizationMatrixTests.Endpoints.Length * 5, $"only {requestLines.Count} request lines");

        string[] secrets = [OwnerEmail, AliceEmail, FriendEmail, "new@example.com", OwnerPassword, KeepsakeApp.DefaultPassword, "a brand new passphrase", SharePassword, share.Token, key.Key];
        foreach (var secret in secrets)
        {
            var leaks = server.Lines.Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' is in the log:\n{string.Join('\n', leaks)}");
        }
    }

    private static async Task<HttpClient> SignInNewUserAsync(ServerProcess server, HttpClient admin, string email)
    {
        await (await admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, false))).EnsureSuccessAsync();
        var user = server.CreateBrowserClient();
        await (await user.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return user;
    }

    [Fact]
    public async Task Each_request_is_one_json_line_with_its_route_template_status_duration_and_trace_id()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, Verbose);
        using var visitor = server.CreateBrowserClient();

        await visitor.GetAsync("/api/s/not-a-real-token-abcdef");
        var requests = await WaitForRequestLinesAsync(server, 1);

        Assert.All(server.Lines, line => JsonDocument.Parse(line).Dispose());
        var state = requests.Single().RootElement;
        Assert.Equal("GET", state.GetProperty("Method").GetString());
        Assert.Equal("/api/s/{token}/", state.GetProperty("Route").GetString());
        Assert.Equal(404, state.GetProperty("Status").GetInt32());
        Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
        Assert.Matches("^[0-9a-f]{32}$", state.GetProperty("traceId").GetString());
    }

    /// <summary>Returns every secret the session used: e-mails, passwords, a share token, file names.</summary>
    private static async Task<IReadOnlyList<string>> RunSessionAsync(ServerProcess server)
    {
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto(OwnerEmail, OwnerPassword))).EnsureSuccessAsync();
        await (await owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto(FriendEmail, KeepsakeApp.DefaultPassword, false))).EnsureSuccessAsync();

        using var stranger = server.CreateBrowserClient();
        await (await stranger.PostAsJsonAsync("/api/auth/login", new CredentialsDto(FriendEmail, WrongPassword))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var friend = server.CreateBrowserClient();
        await (await friend.PostAsJsonAsync("/api/auth/login", new CredentialsDto(FriendEmail, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();

        var photo = await KeepsakeApp.UploadAsync(owner, [(PhotoFileName, await File.ReadAllBytesAsync(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg")))]);
        await photo.EnsureSuccessAsync();
        var photoId = (await photo.Content.ReadFromJsonAsync<Keepsake.Photos.UploadResponseDto>())!.Photos.Single().Photo.Id;
        await (await KeepsakeApp.UploadAsync(owner, [(RefusedFileName, "%PDF-1.7 not a photo"u8.ToArray())])).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var album = await owner.CreateAlbumAsync("Holidays");
        await owner.AddToAlbumAsync(album.Id, photoId);
        var share = await owner.ShareAsync(album.Id, password: SharePassword);
        using var visitor = server.CreateBrowserClient();
        await visitor.GetAsync($"/api/s/{share.Token}?token={share.Token}");
        await (await visitor.UnlockAsync(share.Token, WrongPassword)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await visitor.UnlockAsync(share.Token, SharePassword)).EnsureSuccessAsync();
        await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photoId}/thumbnail")).EnsureSuccessAsync();
        await (await friend.GetAsync($"/api/photos/{photoId}")).AssertProblemAsync(HttpStatusCode.NotFound);

        await WaitForRequestLinesAsync(server, 10);
        return [OwnerEmail, FriendEmail, OwnerPassword, WrongPassword, KeepsakeApp.DefaultPassword, SharePassword, share.Token, PhotoFileName, RefusedFileName];
    }

    /// <summary>Log lines are written asynchronously; wait until the request lines have arrived.</summary>
    private static async Task<List<JsonDocument>> WaitForRequestLinesAsync(ServerProcess server, int atLeast)
    {
        for (var attempt = 0; ; attempt++)
        {
            var requests = server.Lines
                .Select(line => JsonDocument.Parse(line))
                .Where(json => json.RootElement.GetProperty("category").GetString() == "Keepsake.Observability.RequestLogging")
                .ToList();
            if (requests.Count >= atLeast || attempt == 50)
            {
                return requests;
            }
            await Task.Delay(100);
        }
    }
}
