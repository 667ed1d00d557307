using System.Net;
using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Albums;

public sealed class AlbumCoverTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Without_a_chosen_cover_the_newest_photo_is_the_cover()
    {
        var owner = await shared.NewUserAsync();
        var older = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();

        await owner.AddToAlbumAsync(album.Id, newer.Id, older.Id);

        var listed = Assert.Single(await owner.ListAlbumsAsync());
        Assert.Equal(newer.Id, listed.CoverPhotoId);
        SignedUrls.AssertSigned(listed.CoverThumbnailUrl, newer.Id, "thumbnail");
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(listed.CoverThumbnailUrl)).StatusCode);
    }

    [Fact]
    public async Task A_chosen_cover_wins_over_the_newest_photo_until_it_is_cleared()
    {
        var owner = await shared.NewUserAsync();
        var older = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, older.Id, newer.Id);

        var chosen = await (await owner.PutAsJsonAsync($"/api/albums/{album.Id}/cover", new AlbumCoverDto(older.Id))).ReadAsync<AlbumDto>();
        var listed = Assert.Single(await owner.ListAlbumsAsync());
        var cleared = await (await owner.PutAsJsonAsync($"/api/albums/{album.Id}/cover", new AlbumCoverDto(null))).ReadAsync<AlbumDto>();

        Assert.Equal(older.Id, chosen.CoverPhotoId);
        Assert.Equal(older.Id, listed.CoverPhotoId);
        Assert.Equal(newer.Id, cleared.CoverPhotoId);
    }

    [Fact]
    public async Task A_cover_that_is_not_in_the_album_is_refused()
    {
        var owner = await shared.NewUserAsync();
        var inside = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var outside = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, inside.Id);

        var response = await owner.PutAsJsonAsync($"/api/albums/{album.Id}/cover", new AlbumCoverDto(outside.Id));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Not in this album", problem.Title);
        Assert.Equal(inside.Id, (await owner.GetAlbumAsync(album.Id)).CoverPhotoId);
    }

    [Fact]
    public async Task Removing_the_cover_from_the_album_falls_back_to_the_newest_photo()
    {
        var owner = await shared.NewUserAsync();
        var older = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var middle = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, older.Id, middle.Id, newer.Id);
        await (await owner.PutAsJsonAsync($"/api/albums/{album.Id}/cover", new AlbumCoverDto(middle.Id))).EnsureSuccessAsync();

        await (await owner.DeleteAsync($"/api/albums/{album.Id}/photos/{middle.Id}")).EnsureSuccessAsync();

        Assert.Equal(newer.Id, (await owner.GetAlbumAsync(album.Id)).CoverPhotoId);
    }

    [Fact]
    public async Task Deleting_the_cover_photo_resets_the_cover_to_the_newest_remaining_photo()
    {
        var owner = await shared.NewUserAsync();
        var older = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var middle = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, older.Id, middle.Id, newer.Id);
        await (await owner.PutAsJsonAsync($"/api/albums/{album.Id}/cover", new AlbumCoverDto(middle.Id))).EnsureSuccessAsync();

        await (await owner.DeleteAsync($"/api/photos/{middle.Id}")).EnsureSuccessAsync();

        var after = await owner.GetAlbumAsync(album.Id);
        Assert.Equal(newer.Id, after.CoverPhotoId);
        Assert.Equal(2, after.PhotoCount);
        // The newest photo must still be the cover once it goes too: nothing remembers the deleted one.
        await (await owner.DeleteAsync($"/api/photos/{newer.Id}")).EnsureSuccessAsync();
        Assert.Equal(older.Id, (await owner.GetAlbumAsync(album.Id)).CoverPhotoId);
    }
}
