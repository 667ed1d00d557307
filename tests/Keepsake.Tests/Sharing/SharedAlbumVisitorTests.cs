using System.Net;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Sharing;

/// <summary>An anonymous visitor with a link sees that album's photos and nothing else.</summary>
public sealed class SharedAlbumVisitorTests(SharedKeepsakeApp library) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task A_visitor_with_the_token_sees_the_albums_name_photo_count_and_cover()
    {
        var owner = await library.NewUserAsync();
        var older = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync("Rome 2011");
        await owner.AddToAlbumAsync(album.Id, older.Id, newer.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();

        var shared = await (await visitor.GetAsync($"/api/s/{share.Token}")).ReadAsync<SharedAlbumDto>();

        Assert.Equal("Rome 2011", shared.Name);
        Assert.Equal(2, shared.PhotoCount);
        Assert.Equal(newer.Id, shared.CoverPhotoId);
    }

    [Fact]
    public async Task A_visitor_sees_only_the_photos_of_the_shared_album_with_links_below_the_token()
    {
        var owner = await library.NewUserAsync();
        var shown = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var elsewhere = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync("Shared");
        var other = await owner.CreateAlbumAsync("Not shared");
        await owner.AddToAlbumAsync(album.Id, shown.Id);
        await owner.AddToAlbumAsync(other.Id, elsewhere.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();

        var page = await visitor.GetPageAsync($"/api/s/{share.Token}/photos");

        var item = Assert.Single(page.Items);
        Assert.Equal(shown.Id, item.Id);
        SignedUrls.AssertSigned(item.ThumbnailUrl, shown.Id, "thumbnail", "share", placeHidden: true);
        SignedUrls.AssertSigned(item.PreviewUrl, shown.Id, "preview", "share", placeHidden: true);
        Assert.DoesNotContain(share.Token, item.ThumbnailUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visitor_gets_the_details_thumbnail_preview_and_original_of_a_shared_photo()
    {
        var owner = await library.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();
        var baseUrl = $"/api/s/{share.Token}/photos/{photo.Id}";

        var details = await (await visitor.GetAsync(baseUrl)).ReadAsync<PhotoDetailsDto>();
        var thumbnail = await visitor.GetAsync(details.ThumbnailUrl);
        var preview = await visitor.GetAsync(details.PreviewUrl);
        var original = await visitor.GetAsync(details.OriginalUrl);

        Assert.Equal(photo.Id, details.Id);
        Assert.Equal($"{baseUrl}/original", details.OriginalUrl);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("image/jpeg", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        // Without "include location" the original comes without its GPS and serial numbers (see Security.SharePrivacyTests).
        Assert.Equal(PrivateMetadata.Strip(await File.ReadAllBytesAsync(TestData.Photo("gps-fujifilm-finepix-s2pro.jpg")), ImageFormat.Jpeg),
            await original.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/thumbnail")]
    [InlineData("/preview")]
    [InlineData("/original")]
    public async Task A_photo_of_the_same_owner_that_is_not_in_the_album_is_not_found_through_the_link(string variant)
    {
        var owner = await library.NewUserAsync();
        var shown = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var hidden = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, shown.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();

        var response = await visitor.GetAsync($"/api/s/{share.Token}/photos/{hidden.Id}{variant}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}/photos/{shown.Id}{variant}")).StatusCode);
    }

    [Fact]
    public async Task A_link_to_one_users_album_does_not_open_another_users_photo()
    {
        var owner = await library.NewUserAsync();
        var other = await library.NewUserAsync(library.NewEmail("other"));
        var shown = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var theirs = await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, shown.Id);
        var share = await owner.ShareAsync(album.Id);

        var response = await library.App.CreateUserClient().GetAsync($"/api/s/{share.Token}/photos/{theirs.Id}/original");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/photos")]
    [InlineData("/api/photos/{photo}")]
    [InlineData("/api/photos/{photo}/thumbnail")]
    [InlineData("/api/photos/{photo}/original")]
    [InlineData("/api/albums")]
    [InlineData("/api/albums/{album}")]
    [InlineData("/api/albums/{album}/photos")]
    [InlineData("/api/albums/{album}/shares")]
    [InlineData("/api/auth/me")]
    public async Task A_visitor_with_a_link_is_still_not_signed_in_for_the_owners_api(string template)
    {
        var owner = await library.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();
        await (await visitor.GetAsync($"/api/s/{share.Token}/photos")).EnsureSuccessAsync();

        var response = await visitor.GetAsync(template.Replace("{photo}", photo.Id.ToString(), StringComparison.Ordinal)
            .Replace("{album}", album.Id.ToString(), StringComparison.Ordinal));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_or_unknown_token_is_not_found(string token)
    {
        var owner = await library.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();

        foreach (var url in new[] { "", "/photos", $"/photos/{photo.Id}", $"/photos/{photo.Id}/thumbnail" })
        {
            var problem = await (await visitor.GetAsync($"/api/s/{Uri.EscapeDataString(token)}{url}")).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("Link not found", problem.Title);
        }
        await (await visitor.UnlockAsync(Uri.EscapeDataString(token), "guess")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_fresh_random_token_is_not_found_even_while_other_links_work()
    {
        var owner = await library.NewUserAsync();
        var album = await owner.CreateAlbumAsync();
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();

        var response = await visitor.GetAsync($"/api/s/{ShareTokens.NewToken()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);
    }
}
