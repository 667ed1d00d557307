using System.Net;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Sharing;

/// <summary>Expired and revoked links look exactly like links that never existed.</summary>
public sealed class ShareLinkLifetimeTests
{
    [Fact]
    public async Task A_link_works_until_it_expires_and_then_answers_not_found()
    {
        using var app = new KeepsakeApp();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = app.WithClock(clock);
        var owner = await server.SetUpOwnerAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id, expiresAt: clock.GetUtcNow().UtcDateTime.AddHours(1));
        var visitor = server.CreateBrowserClient();
        string[] urls = [$"/api/s/{share.Token}", $"/api/s/{share.Token}/photos", $"/api/s/{share.Token}/photos/{photo.Id}", $"/api/s/{share.Token}/photos/{photo.Id}/original"];

        clock.Advance(TimeSpan.FromMinutes(59));
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(url)).StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        foreach (var url in urls)
        {
            var problem = await (await visitor.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("Link not found", problem.Title);
        }
        await (await visitor.UnlockAsync(share.Token, "anything")).AssertProblemAsync(HttpStatusCode.NotFound);
        var listed = Assert.Single(await (await owner.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>());
        Assert.False(listed.Active);
        Assert.Null(listed.RevokedAt);
    }

    [Fact]
    public async Task A_password_protected_link_expires_even_for_a_visitor_who_unlocked_it()
    {
        using var app = new KeepsakeApp();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = app.WithClock(clock);
        var owner = await server.SetUpOwnerAsync();
        var album = await owner.CreateAlbumAsync();
        var share = await owner.ShareAsync(album.Id, expiresAt: clock.GetUtcNow().UtcDateTime.AddHours(1), password: "let me in");
        var visitor = server.CreateBrowserClient();
        await (await visitor.UnlockAsync(share.Token, "let me in")).EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);

        clock.Advance(TimeSpan.FromHours(2));

        await (await visitor.GetAsync($"/api/s/{share.Token}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_revoked_link_answers_not_found_for_the_album_and_its_files()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = app.CreateUserClient();
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/thumbnail")).StatusCode);

        var response = await owner.DeleteAsync($"/api/shares/{share.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var url in new[] { "", "/photos", $"/photos/{photo.Id}", $"/photos/{photo.Id}/thumbnail", $"/photos/{photo.Id}/preview", $"/photos/{photo.Id}/original" })
        {
            await (await visitor.GetAsync($"/api/s/{share.Token}{url}")).AssertProblemAsync(HttpStatusCode.NotFound);
        }
        var listed = Assert.Single(await (await owner.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>());
        Assert.False(listed.Active);
        Assert.NotNull(listed.RevokedAt);
        Assert.Equal(1, (await owner.GetAlbumAsync(album.Id)).PhotoCount);
    }

    [Fact]
    public async Task Revoking_one_link_leaves_the_other_links_to_the_album_working()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var album = await owner.CreateAlbumAsync();
        var revoked = await owner.ShareAsync(album.Id);
        var kept = await owner.ShareAsync(album.Id);
        var visitor = app.CreateUserClient();

        await (await owner.DeleteAsync($"/api/shares/{revoked.Id}")).EnsureSuccessAsync();

        await (await visitor.GetAsync($"/api/s/{revoked.Token}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{kept.Token}")).StatusCode);
    }

    [Fact]
    public async Task Revoking_another_users_link_is_not_found_and_the_link_keeps_working()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var stranger = await app.CreateUserAsync(owner, "stranger@example.com");
        var album = await owner.CreateAlbumAsync();
        var share = await owner.ShareAsync(album.Id);

        var response = await stranger.DeleteAsync($"/api/shares/{share.Id}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateUserClient().GetAsync($"/api/s/{share.Token}")).StatusCode);
        Assert.True(Assert.Single(await (await owner.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>()).Active);
    }

    [Fact]
    public async Task Revoking_a_link_that_does_not_exist_is_not_found()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await owner.DeleteAsync($"/api/shares/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
