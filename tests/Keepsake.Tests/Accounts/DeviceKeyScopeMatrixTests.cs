using System.Net;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Keepsake.Tests.Accounts.AuthorizationMatrixTests;

namespace Keepsake.Tests.Accounts;

/// <summary>
/// Every endpoint of the authorization matrix, called by Alice's device with a key of each scope: a key gets what Alice's
/// session gets where its scope allows it, and a 403 problem everywhere else; an endpoint nobody marked stays closed to
/// upload keys, and no key reaches what needs a session.
/// </summary>
public sealed class DeviceKeyScopeMatrixTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    /// <summary>What a stolen key must not do: make or hide keys, take the account over, end its sessions.</summary>
    private static readonly string[] SessionOnly =
    [
        "device keys: list", "device keys: create", "device keys: revoke",
        "auth: change password", "auth: logout", "auth: logout everywhere", "privacy: erase my account",
    ];

    /// <summary>All that a phone's backup needs.</summary>
    private static readonly string[] UploadRoutes =
    [
        "photos: upload", "photos: which exist",
        "uploads: tus options", "uploads: create", "uploads: offset", "uploads: append", "uploads: terminate",
    ];

    private const int Forbidden = 403;

    public static TheoryData<string> Rows() => [.. Endpoints.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task A_full_key_gets_what_the_session_gets_except_where_a_session_is_required(string endpoint)
    {
        var row = Endpoints.Single(e => e.Name == endpoint);
        var (device, world) = await AliceWithKeyAsync("full");

        await AssertStatusAsync(device, row, world, SessionOnly.Contains(row.Name) ? Forbidden : row.Owner);
    }

    [Fact]
    public async Task A_read_key_gets_what_the_session_reads_and_403_for_every_change()
    {
        var (device, world) = await AliceWithKeyAsync("read");

        // The changes are all refused, so one world serves every row.
        foreach (var row in Endpoints.OrderBy(r => r.Method == "GET" ? 0 : 1))
        {
            var reads = row.Method is "GET" or "HEAD" && !SessionOnly.Contains(row.Name);
            await AssertStatusAsync(device, row, world, row.Anonymous != 401 || reads || BasicOnly(row) ? row.Owner : Forbidden);
        }
    }

    [Fact]
    public async Task An_upload_key_gets_the_upload_routes_and_403_everywhere_else()
    {
        var (device, world) = await AliceWithKeyAsync("upload");

        foreach (var row in Endpoints.OrderBy(r => r.Method == "GET" ? 0 : 1))
        {
            // A signed file URL is its own permission, for anyone holding it.
            await AssertStatusAsync(device, row, world, row.Anonymous != 401 || UploadRoutes.Contains(row.Name) || BasicOnly(row) ? row.Owner : Forbidden);
        }
    }

    [Fact]
    public void Only_the_upload_routes_are_open_to_upload_keys()
    {
        var marked = shared.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AllowUploadKeysMetadata>() is not null)
            .Select(e => e.RoutePattern.RawText!.TrimEnd('/'))
            .Distinct()
            .Order();

        Assert.Equal(["/api/photos", "/api/photos/exists", "/api/uploads", "/api/uploads/{id:guid}"], marked);
    }

    /// <summary>WebDAV takes a key only by HTTP Basic: a bearer key is no credential there, whatever its scope (the session's 401).
    /// WebDavAuthenticationTests has the scopes over Basic.</summary>
    private static bool BasicOnly(Endpoint row) => row.Path.StartsWith("/dav/", StringComparison.Ordinal);

    private async Task<(HttpClient Device, World World)> AliceWithKeyAsync(string scope)
    {
        var email = shared.NewEmail("alice");
        var alice = await shared.NewUserAsync(email);
        var world = await AlicesWorldAsync(shared.Admin, alice, email);
        var key = await alice.CreateKeyAsync(scope);
        return (shared.Server.BearerClient(key.Key), world);
    }

    private static async Task AssertStatusAsync(HttpClient device, Endpoint row, World world, int expected)
    {
        using var request = row.Request(world);
        var response = await device.SendAsync(request);
        if (expected >= 400)
        {
            await response.AssertProblemAsync((HttpStatusCode)expected);
        }
        else
        {
            Assert.True((int)response.StatusCode == expected,
                $"{row.Method} {request.RequestUri} with the key: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
