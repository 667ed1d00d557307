using System.Net;
using System.Net.Http.Headers;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>A photo's files: cached for a year, revalidated by ETag, and only the known variants.</summary>
public sealed class PhotoFileTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private const string Immutable = "private, max-age=31536000, immutable";

    [Theory]
    [InlineData("thumbnail", "image/webp")]
    [InlineData("preview", "image/jpeg")]
    public async Task A_variant_is_cached_immutably_and_its_etag_revalidates_with_304(string variant, string contentType)
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var url = $"/api/photos/{photo.Id}/{variant}";

        var response = await owner.GetAsync(url);
        await response.EnsureSuccessAsync();
        var etag = response.Headers.ETag;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
        revalidate.Headers.IfNoneMatch.Add(etag!);
        var notModified = await owner.SendAsync(revalidate);

        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal(Immutable, string.Join(", ", response.Headers.NonValidated["Cache-Control"]));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);
    }

    [Fact]
    public async Task Thumbnail_preview_and_original_have_different_etags_and_another_etag_gets_the_file()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var thumbnail = await owner.GetAsync(photo.ThumbnailUrl);
        var preview = await owner.GetAsync(photo.PreviewUrl);
        var original = await owner.GetAsync(photo.OriginalUrl);

        using var stale = new HttpRequestMessage(HttpMethod.Get, photo.ThumbnailUrl);
        stale.Headers.IfNoneMatch.Add(preview.Headers.ETag!);
        var refetched = await owner.SendAsync(stale);

        Assert.Equal(3, new[] { thumbnail, preview, original }.Select(r => r.Headers.ETag?.Tag).Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, refetched.StatusCode);
        Assert.Equal(await thumbnail.Content.ReadAsByteArrayAsync(), await refetched.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Two_photos_never_share_an_etag()
    {
        var owner = await shared.NewUserAsync();
        var first = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var second = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));

        var firstThumbnail = await owner.GetAsync(first.ThumbnailUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, second.ThumbnailUrl);
        request.Headers.IfNoneMatch.Add(firstThumbnail.Headers.ETag!);
        var secondThumbnail = await owner.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, secondThumbnail.StatusCode);
        Assert.NotEqual(firstThumbnail.Headers.ETag, secondThumbnail.Headers.ETag);
    }

    [Theory]
    [InlineData("huge")]
    [InlineData("0")]
    [InlineData("2")]
    [InlineData("thumbnails")]
    [InlineData("original.jpg")]
    public async Task An_unknown_variant_is_404(string variant)
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));

        var response = await owner.GetAsync($"/api/photos/{photo.Id}/{variant}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("thumbnail")]
    [InlineData("preview")]
    [InlineData("original")]
    public async Task A_variant_of_a_photo_that_does_not_exist_is_404(string variant)
    {
        var owner = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));

        var response = await owner.GetAsync($"/api/photos/{Guid.NewGuid()}/{variant}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_original_supports_range_requests()
    {
        var owner = await shared.NewUserAsync();
        var path = TestData.Photo("gps-apple-iphone4.jpg");
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, path);

        using var request = new HttpRequestMessage(HttpMethod.Get, photo.OriginalUrl);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        var response = await owner.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal((await File.ReadAllBytesAsync(path))[100..200], await response.Content.ReadAsByteArrayAsync());
    }
}
