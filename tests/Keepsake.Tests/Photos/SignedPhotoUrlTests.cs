using System.Net;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>
/// Thumbnails and previews by the signed URLs the timeline, albums and share links hand out: served to whoever holds
/// the URL, without a session, for a short while; never for a URL changed by hand; stopped by a delete or an erasure
/// at once and by a revoked link within the URL's lifetime (<c>PhotoUrls:Lifetime</c>, 10 minutes by default).
/// </summary>
public sealed class SignedPhotoUrlTests(SharedClockedKeepsakeApp shared) : IClassFixture<SharedClockedKeepsakeApp>
{
    private const string Immutable = "private, max-age=31536000, immutable";
    private static readonly TimeSpan Lifetime = new PhotoUrlOptions().Lifetime;

    [Theory]
    [InlineData("thumbnail", "image/webp")]
    [InlineData("preview", "image/jpeg")]
    public async Task A_signed_url_from_the_timeline_serves_the_owners_file_without_a_session(string variant, string contentType)
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var item = Assert.Single((await owner.GetPageAsync("/api/photos")).Items);
        var url = variant == "thumbnail" ? item.ThumbnailUrl : item.PreviewUrl;
        using var stranger = shared.Server.CreateBrowserClient();

        var response = await stranger.GetAsync(url);

        await response.EnsureSuccessAsync();
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await (await owner.GetAsync($"/api/photos/{photo.Id}/{variant}")).Content.ReadAsByteArrayAsync(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_signed_url_names_the_content_is_cached_for_a_year_and_its_etag_revalidates_with_304()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"))));

        var response = await owner.GetAsync(photo.ThumbnailUrl);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, photo.ThumbnailUrl);
        revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        var notModified = await owner.SendAsync(revalidate);

        await response.EnsureSuccessAsync();
        Assert.Contains($"/thumbnail/{sha256[..32]}?", photo.ThumbnailUrl, StringComparison.Ordinal);
        Assert.Equal(Immutable, string.Join(", ", response.Headers.NonValidated["Cache-Control"]));
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(response.Headers.ETag, notModified.Headers.ETag);
        Assert.Equal(Immutable, string.Join(", ", notModified.Headers.NonValidated["Cache-Control"]));
    }

    [Fact]
    public async Task Another_etag_gets_the_file_not_a_304()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));

        using var request = new HttpRequestMessage(HttpMethod.Get, photo.ThumbnailUrl);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef0123456789abcdef-thumbnail\""));
        var response = await owner.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_url_changed_to_name_someone_elses_photo_gets_a_403_problem_and_not_the_photo()
    {
        var alice = await shared.NewUserAsync();
        var bob = await shared.NewUserAsync();
        var alicesPhoto = await KeepsakeApp.UploadPhotoAsync(alice, TestData.Photo("gps-apple-iphone4.jpg"));
        var bobsPhoto = await KeepsakeApp.UploadPhotoAsync(bob, TestData.Photo("no-exif-casio.jpg"));
        var alicesPath = PathOf(alicesPhoto.ThumbnailUrl);
        var bobsUrl = bobsPhoto.ThumbnailUrl;

        // Alice's owner, photo and content with Bob's viewer, expiry and signature; then only Alice's photo id in Bob's URL.
        var forged = alicesPath + bobsUrl[PathOf(bobsUrl).Length..];
        var otherPhotoOnly = bobsUrl.Replace(bobsPhoto.Id.ToString("N"), alicesPhoto.Id.ToString("N"), StringComparison.Ordinal);
        var response = await bob.GetAsync(forged);
        var second = await bob.GetAsync(otherPhotoOnly);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Invalid file link", problem.Title);
        await second.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("expires")]
    [InlineData("sig")]
    [InlineData("content")]
    [InlineData("variant")]
    public async Task A_url_changed_by_hand_gets_a_403_problem(string part)
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var url = photo.ThumbnailUrl;
        var tampered = part switch
        {
            "viewer" => ReplaceQuery(url, "viewer", $"user-{Guid.NewGuid():N}"),
            "expires" => ReplaceQuery(url, "expires", (long.Parse(Query(url, "expires"), CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture)),
            "sig" => ReplaceQuery(url, "sig", new string('A', 22)),
            "content" => url.Replace(SignedContent(url), new string('0', 32), StringComparison.Ordinal),
            _ => url.Replace("/thumbnail/", "/preview/", StringComparison.Ordinal),
        };

        var response = await owner.GetAsync(tampered);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Invalid file link", problem.Title);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?viewer=user-00000000000000000000000000000000")]
    [InlineData("?expires=99999999999&sig=not-base64-at-all!!!!!")]
    public async Task A_url_without_a_signature_gets_a_403_problem(string query)
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var path = PathOf(photo.ThumbnailUrl);

        var response = await owner.GetAsync(path + query);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_original_is_never_served_by_signed_url()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));

        var response = await owner.GetAsync(photo.ThumbnailUrl.Replace("/thumbnail/", "/original/", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_url_past_its_lifetime_gets_a_403_problem_and_the_timeline_hands_out_a_new_one()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

        shared.Clock.Advance(Lifetime + TimeSpan.FromSeconds(1));
        var expired = await owner.GetAsync(photo.ThumbnailUrl);
        var fresh = Assert.Single((await owner.GetPageAsync("/api/photos")).Items).ThumbnailUrl;

        var problem = await expired.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("File link expired", problem.Title);
        Assert.NotEqual(photo.ThumbnailUrl, fresh);
        await (await owner.GetAsync(fresh)).EnsureSuccessAsync();
    }

    [Fact]
    public async Task The_same_url_is_handed_out_again_soon_after_so_the_browser_cache_answers()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));

        var first = Assert.Single((await owner.GetPageAsync("/api/photos")).Items).ThumbnailUrl;
        var again = Assert.Single((await owner.GetPageAsync("/api/photos")).Items).ThumbnailUrl;

        Assert.Equal(first, again);
        Assert.Equal(photo.Id, Assert.Single((await owner.GetPageAsync("/api/photos")).Items).Id);
    }

    [Fact]
    public async Task A_deleted_photo_stops_serving_by_its_signed_url_at_once()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        await (await owner.GetAsync(photo.ThumbnailUrl)).EnsureSuccessAsync();

        await (await owner.DeletePhotoForGoodAsync(photo.Id)).EnsureSuccessAsync();

        await (await owner.GetAsync(photo.ThumbnailUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync(photo.PreviewUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_erased_users_photos_stop_serving_by_their_signed_urls_at_once()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        using var stranger = shared.Server.CreateBrowserClient();
        await (await stranger.GetAsync(photo.ThumbnailUrl)).EnsureSuccessAsync();

        await (await owner.PostAsJsonAsync("/api/me/erase", new EraseAccountDto(KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();

        await (await stranger.GetAsync(photo.ThumbnailUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(photo.PreviewUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Query(string url, string name) =>
        url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private static string ReplaceQuery(string url, string name, string value) =>
        url.Replace($"{name}={Query(url, name)}", $"{name}={value}", StringComparison.Ordinal);

    private static string PathOf(string url) => url[..url.IndexOf('?', StringComparison.Ordinal)];

    private static string SignedContent(string url) => PathOf(url).Split('/')[^1];
}
