using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Sharing;

/// <summary>
/// A share link's visitors get thumbnails and previews by URLs signed for the link: cleaned of the place unless the
/// link includes it, without the token in them, and no longer served once the link is revoked and the URL's
/// lifetime has passed.
/// </summary>
public sealed class SignedShareUrlTests(SharedClockedKeepsakeApp shared) : IClassFixture<SharedClockedKeepsakeApp>
{
    private static readonly TimeSpan Lifetime = new PhotoUrlOptions().Lifetime;

    [Theory]
    [InlineData("thumbnail")]
    [InlineData("large-thumbnail")]
    [InlineData("preview")]
    public async Task A_visitor_gets_files_by_urls_signed_for_the_link_cleaned_as_the_links_own_route_cleans_them(string variant)
    {
        var (_, photo, share) = await SharedPhotoAsync(includeLocation: false);
        using var visitor = shared.Server.CreateBrowserClient();
        var item = Assert.Single((await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items);
        var url = variant switch { "thumbnail" => item.ThumbnailUrl, "large-thumbnail" => item.Thumbnails[^1].Url, _ => item.PreviewUrl };

        var signed = await visitor.GetAsync(url);
        var byToken = await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/{variant}");

        SignedUrls.AssertSigned(url, photo.Id, variant, "share", placeHidden: true);
        await signed.EnsureSuccessAsync();
        Assert.Equal(await byToken.Content.ReadAsByteArrayAsync(), await signed.Content.ReadAsByteArrayAsync());
        Assert.Equal(byToken.Headers.ETag, signed.Headers.ETag);
    }

    [Fact]
    public async Task A_link_that_includes_the_place_hands_out_urls_of_the_files_as_stored()
    {
        var (_, photo, share) = await SharedPhotoAsync(includeLocation: true);
        using var visitor = shared.Server.CreateBrowserClient();
        var details = await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();

        var signed = await visitor.GetAsync(details.ThumbnailUrl);

        SignedUrls.AssertSigned(details.ThumbnailUrl, photo.Id, "thumbnail", "share");
        Assert.Equal(await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/thumbnail")).Content.ReadAsByteArrayAsync(),
            await signed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_visitor_who_drops_the_hidden_place_from_the_url_gets_a_403_problem()
    {
        var (_, _, share) = await SharedPhotoAsync(includeLocation: false);
        using var visitor = shared.Server.CreateBrowserClient();
        var url = Assert.Single((await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items).ThumbnailUrl;

        var response = await visitor.GetAsync(url.Replace("&place=hidden", "", StringComparison.Ordinal));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_revoked_links_signed_urls_stop_serving_within_their_lifetime()
    {
        var (owner, _, share) = await SharedPhotoAsync(includeLocation: false);
        using var visitor = shared.Server.CreateBrowserClient();
        var url = Assert.Single((await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items).ThumbnailUrl;

        await (await owner.DeleteAsync($"/api/shares/{share.Id}")).EnsureSuccessAsync();
        var pagesAfterRevoke = await visitor.GetAsync($"/api/s/{share.Token}/photos");
        shared.Clock.Advance(Lifetime + TimeSpan.FromSeconds(1));
        var fileAfterLifetime = await visitor.GetAsync(url);

        await pagesAfterRevoke.AssertProblemAsync(HttpStatusCode.NotFound);
        var problem = await fileAfterLifetime.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("File link expired", problem.Title);
    }

    [Fact]
    public async Task A_password_protected_link_hands_out_no_signed_url_before_it_is_unlocked()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id, password: "share lock phrase");
        using var visitor = shared.Server.CreateBrowserClient();

        var locked = await visitor.GetAsync($"/api/s/{share.Token}/photos");
        await (await visitor.UnlockAsync(share.Token, "share lock phrase")).EnsureSuccessAsync();
        var unlocked = await visitor.GetPageAsync($"/api/s/{share.Token}/photos");

        await locked.AssertProblemAsync(HttpStatusCode.Unauthorized);
        SignedUrls.AssertSigned(Assert.Single(unlocked.Items).ThumbnailUrl, photo.Id, "thumbnail", "share", placeHidden: true);
    }

    /// <summary>A new owner's photo in an album shared by a link with or without the place.</summary>
    private async Task<(HttpClient Owner, PhotoDetailsDto Photo, CreatedShareDto Share)> SharedPhotoAsync(bool includeLocation)
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await (await owner.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, null, includeLocation))).ReadAsync<CreatedShareDto>();
        return (owner, photo, share);
    }
}
