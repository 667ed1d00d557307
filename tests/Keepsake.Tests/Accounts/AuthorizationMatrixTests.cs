using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Albums;
using Keepsake.Photos;
using Keepsake.Photos.Trash;
using Keepsake.Privacy;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Uploads;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Accounts;

/// <summary>
/// Every owner API endpoint, called by each kind of caller on a library where Alice (a plain user)
/// owns the photo, the album and the share link; the admin is someone else. Someone else's resource
/// is answered as not found, even for an admin; admin endpoints are forbidden to everyone else.
/// Every row runs on one app shared by the class, each with an Alice, a Bob and an admin of its own.
/// </summary>
public sealed class AuthorizationMatrixTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    public enum Caller
    {
        Anonymous,
        OtherUser,
        Owner,
        AdminNotOwner,
    }

    private const int Unauthorized = 401;
    private const int Forbidden = 403;
    private const int NotFound = 404;

    /// <summary>Every endpoint that needs a signed-in user, and the signed file URLs they hand out; the log tests run through it too.</summary>
    internal static readonly Endpoint[] Endpoints =
    [
        // name, method, path, body; then the status for: anonymous, other user, owner, admin who is not the owner
        new("photos: timeline", "GET", "/api/photos", null, Unauthorized, 200, 200, 200),
        new("photos: upload", "POST", "/api/photos", _ => Upload("tiny-1x1-apple-iphone-xr.jpg"), Unauthorized, 201, 201, 201),
        new("photos: details", "GET", "/api/photos/{photo}", null, Unauthorized, NotFound, 200, NotFound),
        new("photos: thumbnail", "GET", "/api/photos/{photo}/thumbnail", null, Unauthorized, NotFound, 200, NotFound),
        new("photos: original", "GET", "/api/photos/{photo}/original", null, Unauthorized, NotFound, 200, NotFound),
        // A signed URL is the permission: the timeline handed it to the owner, and whoever the owner passes it to may
        // load that one file until it expires. That no URL can be made or changed for another photo is SignedPhotoUrlTests'.
        new("photos: thumbnail by signed url", "GET", "{signed-thumbnail}", null, 200, 200, 200, 200),
        new("photos: delete", "DELETE", "/api/photos/{photo}", null, Unauthorized, NotFound, 204, NotFound),
        new("photos: favourite", "PUT", "/api/photos/{photo}/favorite", null, Unauthorized, NotFound, 204, NotFound),
        new("photos: unfavourite", "DELETE", "/api/photos/{photo}/favorite", null, Unauthorized, NotFound, 204, NotFound),
        new("photos: archive", "PUT", "/api/photos/{photo}/archive", null, Unauthorized, NotFound, 204, NotFound),
        new("photos: unarchive", "DELETE", "/api/photos/{photo}/archive", null, Unauthorized, NotFound, 204, NotFound),
        new("photos: describe", "PUT", "/api/photos/{photo}/description", _ => Json(new PhotoDescriptionDto("By the sea")), Unauthorized, NotFound, 204, NotFound),
        new("search: words in an album", "GET", "/api/search?q=apple&album={album}", null, Unauthorized, NotFound, 200, NotFound),
        new("timeline: month buckets", "GET", "/api/timeline/buckets", null, Unauthorized, 200, 200, 200),
        new("photos: memories", "GET", "/api/memories", null, Unauthorized, 200, 200, 200),
        new("places: list", "GET", "/api/places", null, Unauthorized, 200, 200, 200),
        new("places: photos of a place", "GET", "/api/places/photos?country=HR&city=Drage", null, Unauthorized, 200, 200, 200),
        new("trash: list", "GET", "/api/trash", null, Unauthorized, 200, 200, 200),
        new("trash: move photos in", "POST", "/api/trash", w => Json(new TrashPhotosDto([w.PhotoId])), Unauthorized, NotFound, 204, NotFound),
        new("trash: restore", "POST", "/api/trash/restore", w => Json(new TrashPhotosDto([w.TrashedPhotoId])), Unauthorized, NotFound, 204, NotFound),
        new("trash: delete for good", "DELETE", "/api/trash/{trashed-photo}", null, Unauthorized, NotFound, 204, NotFound),
        new("trash: empty", "POST", "/api/trash/empty", null, Unauthorized, 200, 200, 200),
        new("albums: list", "GET", "/api/albums", null, Unauthorized, 200, 200, 200),
        new("albums: create", "POST", "/api/albums", _ => Json(new AlbumNameDto("New")), Unauthorized, 201, 201, 201),
        new("albums: get", "GET", "/api/albums/{album}", null, Unauthorized, NotFound, 200, NotFound),
        new("albums: rename", "PUT", "/api/albums/{album}", _ => Json(new AlbumNameDto("Renamed")), Unauthorized, NotFound, 200, NotFound),
        new("albums: delete", "DELETE", "/api/albums/{album}", null, Unauthorized, NotFound, 204, NotFound),
        new("albums: set cover", "PUT", "/api/albums/{album}/cover", w => Json(new AlbumCoverDto(w.PhotoId)), Unauthorized, NotFound, 200, NotFound),
        new("albums: photos", "GET", "/api/albums/{album}/photos", null, Unauthorized, NotFound, 200, NotFound),
        new("albums: add photos", "POST", "/api/albums/{album}/photos", w => Json(new AlbumPhotosDto([w.PhotoId])), Unauthorized, NotFound, 200, NotFound),
        new("albums: remove photo", "DELETE", "/api/albums/{album}/photos/{photo}", null, Unauthorized, NotFound, 204, NotFound),
        new("albums: download all", "GET", "/api/albums/{album}/download", null, Unauthorized, NotFound, 200, NotFound),
        new("shares: create", "POST", "/api/albums/{album}/shares", _ => Json(new CreateShareDto(null, null)), Unauthorized, NotFound, 201, NotFound),
        new("shares: list", "GET", "/api/albums/{album}/shares", null, Unauthorized, NotFound, 200, NotFound),
        new("shares: revoke", "DELETE", "/api/shares/{share}", null, Unauthorized, NotFound, 204, NotFound),
        new("admin: list users", "GET", "/api/admin/users", null, Unauthorized, Forbidden, Forbidden, 200),
        new("admin: create user", "POST", "/api/admin/users", _ => Json(new CreateUserDto("new@example.com", KeepsakeApp.DefaultPassword, false)), Unauthorized, Forbidden, Forbidden, 201),
        new("admin: erase user", "DELETE", "/api/admin/users/{user}", null, Unauthorized, Forbidden, Forbidden, 204),
        new("admin: update user", "PUT", "/api/admin/users/{user}", _ => Json(new UpdateUserDto(null, true)), Unauthorized, Forbidden, Forbidden, 200),
        new("admin: sign out user", "POST", "/api/admin/users/{user}/sign-out", null, Unauthorized, Forbidden, Forbidden, 204),
        new("admin: reset password", "POST", "/api/admin/users/{user}/password", _ => Json(new ResetPasswordDto("a brand new passphrase")), Unauthorized, Forbidden, Forbidden, 204),
        new("weather: of my photos", "GET", "/api/weather/photos?id={photo}", null, Unauthorized, 200, 200, 200),
        new("map: settings", "GET", "/api/map/settings", null, Unauthorized, 200, 200, 200),
        new("map: markers", "GET", "/api/map/markers", null, Unauthorized, 200, 200, 200),
        new("map: photos", "GET", "/api/map/photos?id={photo}", null, Unauthorized, 200, 200, 200),
        new("admin: weather status", "GET", "/api/admin/weather", null, Unauthorized, Forbidden, Forbidden, 200),
        new("admin: storage per user", "GET", "/api/admin/usage", null, Unauthorized, Forbidden, Forbidden, 200),
        new("admin: photo backup status", "GET", "/api/admin/photo-backup", null, Unauthorized, Forbidden, Forbidden, 200),
        new("privacy: export my data", "GET", "/api/me/export", null, Unauthorized, 200, 200, 200),
        // The admin here is one of several; that the only admin may not go is AdminSafetyTests' and UserErasureTests' case.
        new("privacy: erase my account", "POST", "/api/me/erase", _ => Json(new EraseAccountDto(KeepsakeApp.DefaultPassword)), Unauthorized, 204, 204, 204),
        new("uploads: tus options", "OPTIONS", "/api/uploads", null, Unauthorized, 204, 204, 204),
        new("uploads: create", "POST", "/api/uploads", null, Unauthorized, 201, 201, 201, Tus.Creation("new.jpg", 10)),
        new("uploads: offset", "HEAD", "/api/uploads/{upload}", null, Unauthorized, NotFound, 200, NotFound, Tus.Resumable),
        new("uploads: append", "PATCH", "/api/uploads/{upload}", _ => Tus.Chunk([1, 2, 3]), Unauthorized, NotFound, 204, NotFound, Tus.Append(0)),
        new("uploads: terminate", "DELETE", "/api/uploads/{upload}", null, Unauthorized, NotFound, 204, NotFound, Tus.Resumable),
        new("auth: me", "GET", "/api/auth/me", null, Unauthorized, 200, 200, 200),
        new("auth: change password", "POST", "/api/auth/password", _ => Json(new ChangePasswordDto(KeepsakeApp.DefaultPassword, "a brand new passphrase")), Unauthorized, 204, 204, 204),
        new("auth: logout", "POST", "/api/auth/logout", null, Unauthorized, 204, 204, 204),
        new("auth: logout everywhere", "POST", "/api/auth/logout-everywhere", null, Unauthorized, 204, 204, 204),
        new("photos: which exist", "POST", "/api/photos/exists", _ => Json(new PhotoExistenceDto([new string('a', 64)])), Unauthorized, 200, 200, 200),
        new("device keys: list", "GET", "/api/auth/keys", null, Unauthorized, 200, 200, 200),
        new("device keys: create", "POST", "/api/auth/keys", _ => Json(new CreateDeviceKeyDto("Phone", "upload")), Unauthorized, 201, 201, 201),
        new("device keys: revoke", "DELETE", "/api/auth/keys/{device-key}", null, Unauthorized, NotFound, 204, NotFound),
        // WebDAV signs in by HTTP Basic with a device key alone: a session opens none of it (WebDavAuthenticationTests has
        // the keys, their scopes and other users' folders).
        new("webdav: options", "OPTIONS", "/dav/{email}/Photos", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: propfind", "PROPFIND", "/dav/{email}/Photos", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized, DepthZero),
        new("webdav: get", "GET", "/dav/{email}/Photos", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: head", "HEAD", "/dav/{email}/Photos", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: put", "PUT", "/dav/{email}/new.jpg", _ => new ByteArrayContent(File.ReadAllBytes(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"))), Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: mkcol", "MKCOL", "/dav/{email}/Albums", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: delete", "DELETE", "/dav/{email}/Albums", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: move", "MOVE", "/dav/{email}/Albums", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
        new("webdav: copy", "COPY", "/dav/{email}/Albums", null, Unauthorized, Unauthorized, Unauthorized, Unauthorized),
    ];

    private static readonly Dictionary<string, string> DepthZero = new() { ["Depth"] = "0" };

    /// <summary>Every endpoint for every caller but the admin, each test with an Alice and a Bob of its own.</summary>
    public static TheoryData<string, Caller, int> Cases()
    {
        var cases = new TheoryData<string, Caller, int>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var caller in Enum.GetValues<Caller>().Where(c => c != Caller.AdminNotOwner))
            {
                cases.Add(endpoint.Name, caller, endpoint.Expected(caller));
            }
        }
        return cases;
    }

    /// <summary>Every endpoint for an admin who is not the owner, each test with an admin of its own (the calls change the admin: password, sessions).</summary>
    public static TheoryData<string, int> AdminCases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var endpoint in Endpoints)
        {
            cases.Add(endpoint.Name, endpoint.Expected(Caller.AdminNotOwner));
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_caller_gets_the_status_its_rights_allow(string endpoint, Caller caller, int expected)
    {
        var aliceEmail = shared.NewEmail("alice");
        var owner = await shared.NewUserAsync(aliceEmail);
        var otherUser = await shared.NewUserAsync(shared.NewEmail("bob"));
        var world = await AlicesWorldAsync(shared.Admin, owner, aliceEmail);
        var client = caller switch
        {
            Caller.Anonymous => shared.App.CreateUserClient(),
            Caller.OtherUser => otherUser,
            _ => owner,
        };

        await AssertStatusAsync(client, caller, Endpoints.Single(e => e.Name == endpoint), world, expected);
    }

    [Theory]
    [MemberData(nameof(AdminCases))]
    public async Task The_admin_who_is_not_the_owner_gets_the_status_the_admin_rights_allow(string endpoint, int expected)
    {
        var aliceEmail = shared.NewEmail("alice");
        var owner = await shared.NewUserAsync(aliceEmail);
        var admin = await shared.NewUserAsync(shared.NewEmail("admin"), isAdmin: true);
        var world = await AlicesWorldAsync(admin, owner, aliceEmail);

        await AssertStatusAsync(admin, Caller.AdminNotOwner, Endpoints.Single(e => e.Name == endpoint), world, expected);
    }

    /// <summary>Alice's photo, in her album, shared by a link; a photo in her trash; and a device key of hers.</summary>
    internal static async Task<World> AlicesWorldAsync(HttpClient admin, HttpClient alice, string aliceEmail)
    {
        var photo = await KeepsakeApp.UploadPhotoAsync(alice, TestData.Photo("no-exif-casio.jpg"));
        var album = await alice.CreateAlbumAsync("Alice's album");
        await alice.AddToAlbumAsync(album.Id, photo.Id);
        var share = await alice.ShareAsync(album.Id);
        var trashed = await TrashedPhotoAsync(alice);
        var key = await alice.CreateKeyAsync("read");
        var upload = await Tus.CreateAsync(alice, "half-sent.jpg", 1000);
        var users = await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        return new World(photo.Id, album.Id, share.Id, users.Single(u => u.Email == aliceEmail).Id, photo.ThumbnailUrl, trashed, key.Id, upload, aliceEmail);
    }

    /// <summary>A photo of the user's, put in their trash.</summary>
    internal static async Task<Guid> TrashedPhotoAsync(HttpClient user)
    {
        var photo = await KeepsakeApp.UploadPhotoAsync(user, TestData.Photo("alpha.png"));
        await (await user.DeleteAsync($"/api/photos/{photo.Id}")).EnsureSuccessAsync();
        return photo.Id;
    }

    private static async Task AssertStatusAsync(HttpClient client, Caller caller, Endpoint row, World world, int expected)
    {
        using var request = row.Request(world);

        var response = await client.SendAsync(request);

        if (expected >= 400 && request.Method != HttpMethod.Head)
        {
            await response.AssertProblemAsync((HttpStatusCode)expected);
        }
        else
        {
            Assert.True((int)response.StatusCode == expected,
                $"{row.Method} {request.RequestUri} as {caller}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public void Every_endpoint_that_needs_a_signed_in_user_has_a_row_in_the_matrix()
    {
        var routes = shared.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods.Select(method => (Method: method, Pattern: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToList();

        var missing = routes.Where(route => !Endpoints.Any(row => row.Method == route.Method && Matches(route.Pattern, row.Path.Split('?')[0]))).ToList();

        Assert.True(routes.Count >= Endpoints.Count(e => e.Anonymous == Unauthorized) - 1, $"Only {routes.Count} protected routes found");
        Assert.Empty(missing);
    }

    /// <summary>Whether a matrix path is a URL the route pattern (with its <c>{parameters}</c>) accepts.</summary>
    private static bool Matches(string pattern, string path) =>
        Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(pattern), @"\\\{[^/]*?}", "[^/]+") + "$");

    private static JsonContent Json<T>(T body) => JsonContent.Create(body);

    private static MultipartFormDataContent Upload(string name)
    {
        var file = new ByteArrayContent(File.ReadAllBytes(TestData.Photo(name)));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "files", name } };
    }

    internal sealed record World(Guid PhotoId, Guid AlbumId, Guid ShareId, Guid OwnerId, string SignedThumbnailUrl, Guid TrashedPhotoId, Guid DeviceKeyId, Uri Upload, string OwnerEmail)
    {
        public string Fill(string path) => path
            .Replace("{email}", OwnerEmail, StringComparison.Ordinal)
            .Replace("{device-key}", DeviceKeyId.ToString(), StringComparison.Ordinal)
            .Replace("/api/uploads/{upload}", Upload.ToString(), StringComparison.Ordinal)
            .Replace("{signed-thumbnail}", SignedThumbnailUrl, StringComparison.Ordinal)
            .Replace("{trashed-photo}", TrashedPhotoId.ToString(), StringComparison.Ordinal)
            .Replace("{user}", OwnerId.ToString(), StringComparison.Ordinal)
            .Replace("{photo}", PhotoId.ToString(), StringComparison.Ordinal)
            .Replace("{album}", AlbumId.ToString(), StringComparison.Ordinal)
            .Replace("{share}", ShareId.ToString(), StringComparison.Ordinal);
    }

    /// <summary>One endpoint and the status each caller must get.</summary>
    internal sealed record Endpoint(
        string Name, string Method, string Path, Func<World, HttpContent>? Body, int Anonymous, int OtherUser, int Owner, int AdminNotOwner,
        IReadOnlyDictionary<string, string>? Headers = null)
    {
        public HttpRequestMessage Request(World world)
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), world.Fill(Path)) { Content = Body?.Invoke(world) };
            foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
            {
                request.Headers.Add(name, value);
            }
            return request;
        }

        public int Expected(Caller caller) => caller switch
        {
            Caller.Anonymous => Anonymous,
            Caller.OtherUser => OtherUser,
            Caller.Owner => Owner,
            _ => AdminNotOwner,
        };
    }
}
