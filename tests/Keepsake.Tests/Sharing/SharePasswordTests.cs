using System.Net;
using System.Text.Json;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Sharing;

public sealed class SharePasswordTests
{
    private const string Password = "the secret word";

    [Fact]
    public async Task Without_the_password_every_shared_url_answers_unauthorized_with_password_required()
    {
        using var app = new KeepsakeApp();
        var (_, share, photo) = await ArrangeAsync(app);
        var visitor = app.CreateUserClient();

        foreach (var url in SharedUrls(share.Token, photo.Id))
        {
            var problem = await (await visitor.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.True(problem.Extensions.TryGetValue("passwordRequired", out var flag), url);
            Assert.True(((JsonElement)flag!).GetBoolean(), url);
        }
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_album_stays_locked()
    {
        using var app = new KeepsakeApp();
        var (_, share, photo) = await ArrangeAsync(app);
        var visitor = app.CreateUserClient();

        var response = await visitor.UnlockAsync(share.Token, "not the secret word");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Wrong password", problem.Title);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        foreach (var url in SharedUrls(share.Token, photo.Id))
        {
            await (await visitor.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task The_right_password_opens_the_album_for_that_visitor()
    {
        using var app = new KeepsakeApp();
        var (_, share, photo) = await ArrangeAsync(app);
        var visitor = app.CreateUserClient();

        var response = await visitor.UnlockAsync(share.Token, Password);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, (await (await visitor.GetAsync($"/api/s/{share.Token}")).ReadAsync<SharedAlbumDto>()).PhotoCount);
        Assert.Equal([photo.Id], (await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items.Select(p => p.Id));
        foreach (var url in SharedUrls(share.Token, photo.Id))
        {
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task Another_visitor_still_needs_the_password()
    {
        using var app = new KeepsakeApp();
        var (_, share, photo) = await ArrangeAsync(app);
        var unlocked = app.CreateUserClient();
        await (await unlocked.UnlockAsync(share.Token, Password)).EnsureSuccessAsync();

        var stranger = app.CreateUserClient();

        await (await stranger.GetAsync($"/api/s/{share.Token}/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await stranger.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await unlocked.GetAsync($"/api/s/{share.Token}/photos")).StatusCode);
    }

    [Fact]
    public async Task Unlocking_one_link_does_not_unlock_another_link_to_the_same_album()
    {
        using var app = new KeepsakeApp();
        var (owner, share, _) = await ArrangeAsync(app);
        var album = Assert.Single(await owner.ListAlbumsAsync());
        var second = await owner.ShareAsync(album.Id, password: Password);
        var visitor = app.CreateUserClient();

        await (await visitor.UnlockAsync(share.Token, Password)).EnsureSuccessAsync();

        await (await visitor.GetAsync($"/api/s/{second.Token}/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Wrong_link_passwords_are_rate_limited_even_when_the_right_one_follows()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Accounts:FailedLoginLimit"] = "3" });
        var (_, share, _) = await ArrangeAsync(app);
        var visitor = app.CreateUserClient();
        for (var i = 0; i < 3; i++)
        {
            await (await visitor.UnlockAsync(share.Token, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var response = await visitor.UnlockAsync(share.Token, Password);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter);
        await (await visitor.GetAsync($"/api/s/{share.Token}/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unlocking_a_link_without_a_password_needs_nothing()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var album = await owner.CreateAlbumAsync();
        var share = await owner.ShareAsync(album.Id);

        var response = await app.CreateUserClient().UnlockAsync(share.Token, "anything");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static string[] SharedUrls(string token, Guid photoId) =>
    [
        $"/api/s/{token}",
        $"/api/s/{token}/photos",
        $"/api/s/{token}/photos/{photoId}",
        $"/api/s/{token}/photos/{photoId}/thumbnail",
        $"/api/s/{token}/photos/{photoId}/preview",
        $"/api/s/{token}/photos/{photoId}/original",
    ];

    private static async Task<(HttpClient Owner, CreatedShareDto Share, PhotoDetailsDto Photo)> ArrangeAsync(KeepsakeApp app)
    {
        var owner = await app.CreateOwnerAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id, password: Password);
        Assert.True(share.HasPassword);
        return (owner, share, photo);
    }
}
