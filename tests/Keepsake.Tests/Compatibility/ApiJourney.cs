using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Compatibility;

/// <summary>What a journey made on a server, for a later look by another release.</summary>
public sealed record JourneyLibrary(string Email, Guid PhotoId, Guid AlbumId, string ShareToken, byte[] Original);

/// <summary>
/// The API smoke journey a person takes through the web app, over HTTP and plain JSON: only the routes and fields
/// every release since the oldest supported one has, so the same journey runs against any of them.
/// </summary>
public static class ApiJourney
{
    public const string Photo = "gps-apple-iphone4.jpg";

    private const string AlbumName = "Summer";

    /// <summary>Sets the library up as its owner, uploads a photo, finds it on the timeline, puts it in an album, shares
    /// the album by link and opens the link as a visitor with no account; each step must succeed.</summary>
    public static async Task<JourneyLibrary> MakeLibraryAsync(Uri server, string email = "owner@example.com")
    {
        using var owner = BrowserClients.CreateBrowserClient(server);
        await Succeeds(await owner.PostAsJsonAsync("/api/setup", new { email, password = KeepsakeApp.DefaultPassword }), "first-run setup");
        var original = await File.ReadAllBytesAsync(TestData.Photo(Photo));

        var upload = await Json(await KeepsakeApp.UploadAsync(owner, [(Photo, original)]), "upload");
        var photoId = (Guid)upload["photos"]![0]!["photo"]!["id"]!;
        var timeline = await Json(await owner.GetAsync("/api/photos"), "timeline");
        var onTimeline = timeline["items"]!.AsArray().Single(item => (Guid)item!["id"]! == photoId)!;
        await IsImage(await owner.GetAsync((string)onTimeline["thumbnailUrl"]!), "the timeline's thumbnail");

        var album = await Json(await owner.PostAsJsonAsync("/api/albums", new { name = AlbumName }), "album creation");
        var albumId = (Guid)album["id"]!;
        var added = await Json(await owner.PostAsJsonAsync($"/api/albums/{albumId}/photos", new { photoIds = new[] { photoId } }), "adding to the album");
        Assert.Equal(1, (int)added["photoCount"]!);

        var share = await Json(await owner.PostAsJsonAsync($"/api/albums/{albumId}/shares", new { }), "share link creation");
        var library = new JourneyLibrary(email, photoId, albumId, (string)share["token"]!, original);
        await OpensAsVisitorAsync(server, library);
        return library;
    }

    /// <summary>Signs in to a library made by <see cref="MakeLibraryAsync"/> (by this release or another): the photo is
    /// on the timeline and its original is the uploaded file, the album holds it, and the share link still opens.</summary>
    public static async Task CheckLibraryAsync(Uri server, JourneyLibrary library)
    {
        using var owner = BrowserClients.CreateBrowserClient(server);
        await Succeeds(await owner.PostAsJsonAsync("/api/auth/login", new { email = library.Email, password = KeepsakeApp.DefaultPassword }), "sign-in");
        var timeline = await Json(await owner.GetAsync("/api/photos"), "timeline");
        Assert.Contains(timeline["items"]!.AsArray(), item => (Guid)item!["id"]! == library.PhotoId);
        var details = await Json(await owner.GetAsync($"/api/photos/{library.PhotoId}"), "the photo's details");
        var original = await owner.GetAsync((string)details["originalUrl"]!);
        await Succeeds(original, "the original");
        Assert.Equal(library.Original, await original.Content.ReadAsByteArrayAsync());
        await IsImage(await owner.GetAsync((string)details["previewUrl"]!), "the preview");

        var album = await Json(await owner.GetAsync($"/api/albums/{library.AlbumId}"), "the album");
        Assert.Equal((AlbumName, 1), ((string)album["name"]!, (int)album["photoCount"]!));
        var inAlbum = await Json(await owner.GetAsync($"/api/albums/{library.AlbumId}/photos"), "the album's photos");
        Assert.Equal(library.PhotoId, (Guid)inAlbum["items"]!.AsArray().Single()!["id"]!);
        await OpensAsVisitorAsync(server, library);
    }

    /// <summary>A server that answered every step may still have failed at something behind them (a background task, a
    /// query a later step did not need): no error in its log, in the JSON lines of today or the plain console of old.</summary>
    public static void LoggedNoError(ServerProcess server, string which) =>
        Assert.True(
            !server.Lines.Any(line => line.Contains("\"level\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"level\":\"Critical\"", StringComparison.Ordinal)
                || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)),
            $"the {which} logged an error:\n{server.Output}");

    private static async Task OpensAsVisitorAsync(Uri server, JourneyLibrary library)
    {
        using var visitor = new HttpClient { BaseAddress = server };
        var shared = await Json(await visitor.GetAsync($"/api/s/{library.ShareToken}"), "the share link, opened with no account");
        Assert.Equal((AlbumName, 1), ((string)shared["name"]!, (int)shared["photoCount"]!));
        var photos = await Json(await visitor.GetAsync($"/api/s/{library.ShareToken}/photos"), "the shared album's photos");
        var photo = photos["items"]!.AsArray().Single()!;
        Assert.Equal(library.PhotoId, (Guid)photo["id"]!);
        await IsImage(await visitor.GetAsync((string)photo["previewUrl"]!), "the shared photo's preview");
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, string step)
    {
        await Succeeds(response, step);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException($"{step}: an empty answer");
    }

    private static async Task IsImage(HttpResponseMessage response, string step)
    {
        await Succeeds(response, step);
        Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A failed step names itself, the request and the server's answer.</summary>
    private static async Task Succeeds(HttpResponseMessage response, string step)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{step}: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered " +
                $"{(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
