using System.Net;
using System.Net.Http.Json;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Sharing;

public sealed class ShareLinkCreationTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task The_token_is_shown_once_when_the_link_is_created_and_never_in_the_list()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();
        var expiresAt = DateTime.UtcNow.AddDays(7);

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(expiresAt, "open sesame"));
        var open = await owner.ShareAsync(album.Id);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var locked = await response.ReadAsync<CreatedShareDto>();
        Assert.True(ShareTokens.IsWellFormed(locked.Token), locked.Token);
        Assert.Equal($"/s/{locked.Token}", locked.Url);
        Assert.True(locked.HasPassword);
        Assert.Equal(expiresAt, locked.ExpiresAt!.Value, TimeSpan.FromSeconds(1));
        Assert.False(open.HasPassword);
        Assert.Null(open.ExpiresAt);
        Assert.NotEqual(locked.Token, open.Token);

        var listResponse = await owner.GetAsync($"/api/albums/{album.Id}/shares");
        var json = await listResponse.Content.ReadAsStringAsync();
        var links = await listResponse.ReadAsync<List<ShareDto>>();
        Assert.Equal(2, links.Count);
        Assert.True(links.Single(l => l.Id == locked.Id).HasPassword);
        Assert.False(links.Single(l => l.Id == open.Id).HasPassword);
        Assert.All(links, l => Assert.True(l.Active));
        Assert.All(links, l => Assert.Null(l.RevokedAt));
        Assert.DoesNotContain(locked.Token, json, StringComparison.Ordinal);
        Assert.DoesNotContain(open.Token, json, StringComparison.Ordinal);
        Assert.DoesNotContain("token", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("open sesame", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused_and_no_link_is_made()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(DateTime.UtcNow.AddMinutes(-1), null));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expiresAt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await (await owner.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>());
    }

    [Fact]
    public async Task An_empty_password_is_refused()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, ""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await (await owner.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>());
    }

    [Fact]
    public async Task Sharing_an_album_that_does_not_exist_is_not_found()
    {
        var owner = await shared.NewUserAsync();

        var response = await owner.PostAsJsonAsync($"/api/albums/{Guid.NewGuid()}/shares", new CreateShareDto(null, null));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
