using System.Net;
using Keepsake.Tests.Accounts;
using Keepsake.Tests.Infrastructure;
using static Keepsake.Tests.WebDav.Dav;

namespace Keepsake.Tests.WebDav;

/// <summary>
/// Who may use /dav/{email}/: HTTP Basic with the owner's e-mail and a device key of theirs, within the key's scope. Never
/// the password, a session cookie or a bearer header; never another user's folder.
/// </summary>
public sealed class WebDavAuthenticationTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_a_basic_challenge()
    {
        var email = shared.NewEmail("dav");
        await shared.NewUserAsync(email);

        var response = await shared.Server.CreateDefaultClient().PropfindAsync(Url(email), "0");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Basic realm=\"Keepsake\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_password_a_revoked_key_another_users_key_a_session_and_a_bearer_key_are_all_refused()
    {
        var email = shared.NewEmail("dav");
        var session = await shared.NewUserAsync(email);
        var revoked = await session.CreateKeyAsync("full");
        await (await session.DeleteAsync($"/api/auth/keys/{revoked.Id}")).EnsureSuccessAsync();
        var bob = await shared.NewUserAsync(shared.NewEmail("bob"));
        var bobsKey = await bob.CreateKeyAsync("full");
        var key = await session.CreateKeyAsync("full");
        var bearer = shared.Server.BearerClient(key.Key);

        HttpClient[] refused =
        [
            shared.Server.BasicClient(email, KeepsakeApp.DefaultPassword),
            shared.Server.BasicClient(email, revoked.Key),
            shared.Server.BasicClient(email, bobsKey.Key),
            session,
            bearer,
        ];

        foreach (var client in refused)
        {
            var response = await client.PropfindAsync(Url(email), "0");
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal(207, (int)(await shared.Server.BasicClient(email.ToUpperInvariant(), key.Key).PropfindAsync(Url(email), "0")).StatusCode);
    }

    [Fact]
    public async Task Basic_with_a_device_key_never_opens_the_json_api()
    {
        var (_, _, dav) = await UserWithDavAsync(shared);

        await (await dav.GetAsync("/api/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_users_folder_is_not_found_and_shows_nothing()
    {
        var (_, _, dav) = await UserWithDavAsync(shared);
        var (_, bobEmail, bobDav) = await UserWithDavAsync(shared);
        await (await bobDav.PutAsync(Url(bobEmail, "Photos/bob.jpg"), TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();

        foreach (var method in new[] { "PROPFIND", "GET", "DELETE", "MKCOL" })
        {
            var response = await dav.SendAsync(method, Url(bobEmail, "Photos/2011/01/bob.jpg"), null, ("Depth", "0"));
            var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain("bob.jpg", problem.Detail, StringComparison.Ordinal);
        }
        var put = await dav.PutAsync(Url(bobEmail, "Photos/mine.jpg"), TestData.Photo("no-exif-casio.jpg"));
        await put.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(await (await bobDav.PropfindAsync(Url(bobEmail, "Photos/2011/01/"), "1")).MultiStatusAsync(), r => !r.Value.IsCollection());
    }

    [Fact]
    public async Task A_read_key_reads_and_may_not_change_anything()
    {
        var (session, email, _) = await UserWithDavAsync(shared);
        var key = await session.CreateKeyAsync("read");
        var reader = shared.Server.BasicClient(email, key.Key);

        Assert.Equal(207, (int)(await reader.PropfindAsync(Url(email), "1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.SendAsync("OPTIONS", Url(email))).StatusCode);
        await (await reader.PutAsync(Url(email, "Photos/x.jpg"), TestData.Photo("no-exif-casio.jpg"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.SendAsync("MKCOL", Url(email, "Albums/X/"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty((await session.GetPageAsync("/api/photos")).Items);
        Assert.Empty(await session.ListAlbumsAsync());
    }

    [Fact]
    public async Task An_upload_key_reads_and_adds_and_may_not_delete_or_move()
    {
        var (session, email, _) = await UserWithDavAsync(shared);
        var key = await session.CreateKeyAsync("upload");
        var phone = shared.Server.BasicClient(email, key.Key);

        Assert.Equal(HttpStatusCode.Created, (await phone.SendAsync("MKCOL", Url(email, "Albums/Phone/"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await phone.PutAsync(Url(email, "Albums/Phone/x.jpg"), TestData.Photo("no-exif-casio.jpg"))).StatusCode);
        Assert.Equal(207, (int)(await phone.PropfindAsync(Url(email, "Albums/Phone/x.jpg"), "0")).StatusCode);
        await (await phone.DeleteAsync(Url(email, "Albums/Phone/x.jpg"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await phone.SendAsync("MOVE", Url(email, "Albums/Phone/"), null, ("Destination", $"http://localhost/dav/{email}/Albums/Other/")))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Phone", Assert.Single(await session.ListAlbumsAsync()).Name);
    }

    [Fact]
    public async Task Repeated_wrong_keys_are_throttled_like_passwords()
    {
        var email = shared.NewEmail("dav");
        var session = await shared.NewUserAsync(email);
        var key = await session.CreateKeyAsync("full");
        var wrong = shared.Server.BasicClient(email, "ks_" + new string('0', 32) + "_" + new string('A', 43));

        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            response = await wrong.PropfindAsync(Url(email), "0");
            attempts++;
        }
        while (response.StatusCode == HttpStatusCode.Unauthorized && attempts < 20);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter);
        var right = await shared.Server.BasicClient(email, key.Key).PropfindAsync(Url(email), "0");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task A_webdav_write_needs_no_antiforgery_token()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        dav.DefaultRequestHeaders.Add("Cookie", "keepsake.antiforgery=stale");

        var response = await dav.SendAsync("MKCOL", Url(email, "Albums/No token/"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
