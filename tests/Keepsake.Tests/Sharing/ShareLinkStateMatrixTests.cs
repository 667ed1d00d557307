using System.Net;
using System.Text.Json;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Sharing;

/// <summary>Every visitor endpoint of a share link, in every state the link can be in (each test's link is its own; an expiry moves the clock a day on).</summary>
public sealed class ShareLinkStateMatrixTests(SharedClockedKeepsakeApp shared) : IClassFixture<SharedClockedKeepsakeApp>
{
    public enum LinkState
    {
        Valid,
        PasswordGiven,
        Expired,
        Revoked,
        PasswordNotGiven,
        WrongPasswordGiven,
    }

    private const string Password = "swordfish and chips";

    private static readonly Dictionary<string, string> VisitorEndpoints = new()
    {
        ["album"] = "/api/s/{token}",
        ["photos"] = "/api/s/{token}/photos",
        ["photo details"] = "/api/s/{token}/photos/{photo}",
        ["thumbnail"] = "/api/s/{token}/photos/{photo}/thumbnail",
        ["preview"] = "/api/s/{token}/photos/{photo}/preview",
        ["original"] = "/api/s/{token}/photos/{photo}/original",
    };

    private static readonly Dictionary<LinkState, HttpStatusCode> Expected = new()
    {
        [LinkState.Valid] = HttpStatusCode.OK,
        [LinkState.PasswordGiven] = HttpStatusCode.OK,
        [LinkState.Expired] = HttpStatusCode.NotFound,
        [LinkState.Revoked] = HttpStatusCode.NotFound,
        [LinkState.PasswordNotGiven] = HttpStatusCode.Unauthorized,
        [LinkState.WrongPasswordGiven] = HttpStatusCode.Unauthorized,
    };

    public static TheoryData<string, LinkState, HttpStatusCode> Cases()
    {
        var cases = new TheoryData<string, LinkState, HttpStatusCode>();
        foreach (var endpoint in VisitorEndpoints.Keys)
        {
            foreach (var state in Enum.GetValues<LinkState>())
            {
                cases.Add(endpoint, state, Expected[state]);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_visitor_gets_what_the_state_of_the_link_allows(string endpoint, LinkState state, HttpStatusCode expected)
    {
        var (clock, server) = (shared.Clock, shared.Server);
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var protectedLink = state is LinkState.PasswordGiven or LinkState.PasswordNotGiven or LinkState.WrongPasswordGiven;
        var share = await owner.ShareAsync(album.Id, clock.GetUtcNow().UtcDateTime.AddDays(1), protectedLink ? Password : null);
        var visitor = server.CreateBrowserClient();
        await BringAboutAsync(state, clock, owner, visitor, share.Id, share.Token);

        var response = await visitor.GetAsync(VisitorEndpoints[endpoint]
            .Replace("{token}", share.Token, StringComparison.Ordinal)
            .Replace("{photo}", photo.Id.ToString(), StringComparison.Ordinal));

        if (expected == HttpStatusCode.OK)
        {
            await response.EnsureSuccessAsync();
            Assert.Equal(expected, response.StatusCode);
        }
        else
        {
            var problem = await response.AssertProblemAsync(expected);
            Assert.Equal(expected == HttpStatusCode.Unauthorized, problem.Extensions.TryGetValue("passwordRequired", out var flag) && ((JsonElement)flag!).GetBoolean());
        }
    }

    [Theory]
    [InlineData(LinkState.Valid, HttpStatusCode.NoContent)]
    [InlineData(LinkState.Expired, HttpStatusCode.NotFound)]
    [InlineData(LinkState.Revoked, HttpStatusCode.NotFound)]
    [InlineData(LinkState.PasswordNotGiven, HttpStatusCode.NoContent)]
    [InlineData(LinkState.WrongPasswordGiven, HttpStatusCode.NoContent)]
    public async Task Unlocking_with_the_right_password_works_only_while_the_link_is_live(LinkState state, HttpStatusCode expected)
    {
        var (clock, server) = (shared.Clock, shared.Server);
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();
        var share = await owner.ShareAsync(album.Id, clock.GetUtcNow().UtcDateTime.AddDays(1), Password);
        var visitor = server.CreateBrowserClient();
        await BringAboutAsync(state, clock, owner, visitor, share.Id, share.Token);

        var response = await visitor.UnlockAsync(share.Token, Password);

        if (expected == HttpStatusCode.NoContent)
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);
        }
        else
        {
            await response.AssertProblemAsync(expected);
            await (await visitor.GetAsync($"/api/s/{share.Token}")).AssertProblemAsync(HttpStatusCode.NotFound);
        }
    }

    private static async Task BringAboutAsync(LinkState state, FakeTimeProvider clock, HttpClient owner, HttpClient visitor, Guid shareId, string token)
    {
        switch (state)
        {
            case LinkState.Expired:
                clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
                break;
            case LinkState.Revoked:
                await (await owner.DeleteAsync($"/api/shares/{shareId}")).EnsureSuccessAsync();
                break;
            case LinkState.PasswordGiven:
                await (await visitor.UnlockAsync(token, Password)).EnsureSuccessAsync();
                break;
            case LinkState.WrongPasswordGiven:
                await (await visitor.UnlockAsync(token, "not " + Password)).AssertProblemAsync(HttpStatusCode.Unauthorized);
                break;
            case LinkState.Valid:
            case LinkState.PasswordNotGiven:
                break;
        }
    }
}
