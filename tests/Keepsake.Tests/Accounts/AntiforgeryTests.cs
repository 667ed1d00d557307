using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Keepsake.Tests.Accounts;

/// <summary>A signed-in browser's cookie alone must not be enough to change anything.</summary>
public sealed class AntiforgeryTests
{
    [Fact]
    public async Task A_signed_in_write_without_the_antiforgery_header_is_refused_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();
        var browser = await SignInWithoutAntiforgeryHeaderAsync(app);

        var response = await browser.PostAsJsonAsync("/api/albums", new AlbumNameDto("Forged"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Missing antiforgery token", problem.Title);
        Assert.Empty(await browser.ListAlbumsAsync());
    }

    [Fact]
    public async Task A_signed_in_delete_without_the_antiforgery_header_leaves_the_album_in_place()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var album = await owner.CreateAlbumAsync("Keep");
        var browser = await SignInWithoutAntiforgeryHeaderAsync(app);

        var response = await browser.DeleteAsync($"/api/albums/{album.Id}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Keep", (await owner.GetAlbumAsync(album.Id)).Name);
    }

    [Fact]
    public async Task A_bogus_antiforgery_header_is_refused()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/albums") { Content = JsonContent.Create(new AlbumNameDto("Forged")) };
        request.Headers.Add("X-XSRF-TOKEN", "not-a-real-token");

        var response = await owner.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await owner.ListAlbumsAsync());
    }

    [Fact]
    public async Task A_token_issued_to_one_user_does_not_work_for_another()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var other = await app.CreateUserAsync(owner, "other@example.com");
        var ownersToken = await (await owner.GetAsync("/api/antiforgery")).ReadAsync<AntiforgeryTokenDto>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/albums") { Content = JsonContent.Create(new AlbumNameDto("Forged")) };
        request.Headers.Add(ownersToken.HeaderName, ownersToken.Token);

        var response = await other.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await other.ListAlbumsAsync());
    }

    [Fact]
    public async Task The_same_signed_in_browser_can_write_once_it_sends_the_header()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();
        var browser = await SignInWithoutAntiforgeryHeaderAsync(app);
        var token = await (await browser.GetAsync("/api/antiforgery")).ReadAsync<AntiforgeryTokenDto>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/albums") { Content = JsonContent.Create(new AlbumNameDto("Real")) };
        request.Headers.Add(token.HeaderName, token.Token);

        var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Real", Assert.Single(await browser.ListAlbumsAsync()).Name);
    }

    /// <summary>
    /// A client that keeps cookies but never adds the header by itself. It signs in (an anonymous
    /// write, which needs no token) and holds the antiforgery cookie, as a browser would.
    /// </summary>
    private static async Task<HttpClient> SignInWithoutAntiforgeryHeaderAsync(KeepsakeApp app)
    {
        var browser = app.CreateDefaultClient(new CookieContainerHandler());
        await (await browser.PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        await (await browser.GetAsync("/api/antiforgery")).EnsureSuccessAsync();
        await (await browser.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        return browser;
    }
}
