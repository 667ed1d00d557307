using System.Net;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Albums;

public sealed class AlbumDeletionTests(SharedKeepsakeApp library) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Deleting_an_album_keeps_its_photos_in_the_timeline()
    {
        var owner = await library.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);

        var response = await owner.DeleteAsync($"/api/albums/{album.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await owner.ListAlbumsAsync());
        await (await owner.GetAsync($"/api/albums/{album.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([photo.Id], (await owner.GetPageAsync("/api/photos")).Items.Select(p => p.Id));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(photo.OriginalUrl)).StatusCode);
    }

    [Fact]
    public async Task Deleting_an_album_removes_its_share_links()
    {
        var owner = await library.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = library.App.CreateUserClient();
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);

        await (await owner.DeleteAsync($"/api/albums/{album.Id}")).EnsureSuccessAsync();

        await (await visitor.GetAsync($"/api/s/{share.Token}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/thumbnail")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/albums/{album.Id}/shares")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.DeleteAsync($"/api/shares/{share.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_photo_takes_it_out_of_every_album()
    {
        var owner = await library.NewUserAsync();
        var kept = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var deleted = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var first = await owner.CreateAlbumAsync("First");
        var second = await owner.CreateAlbumAsync("Second");
        await owner.AddToAlbumAsync(first.Id, kept.Id, deleted.Id);
        await owner.AddToAlbumAsync(second.Id, deleted.Id);
        var share = await owner.ShareAsync(first.Id);

        await (await owner.DeletePhotoForGoodAsync(deleted.Id)).EnsureSuccessAsync();

        Assert.Equal([kept.Id], (await owner.GetPageAsync($"/api/albums/{first.Id}/photos")).Items.Select(p => p.Id));
        Assert.Empty((await owner.GetPageAsync($"/api/albums/{second.Id}/photos")).Items);
        var albums = await owner.ListAlbumsAsync();
        Assert.Equal(1, albums.Single(a => a.Id == first.Id).PhotoCount);
        Assert.Equal(0, albums.Single(a => a.Id == second.Id).PhotoCount);
        Assert.Null(albums.Single(a => a.Id == second.Id).CoverPhotoId);
        var shared = await (await library.App.CreateUserClient().GetAsync($"/api/s/{share.Token}")).ReadAsync<SharedAlbumDto>();
        Assert.Equal(1, shared.PhotoCount);
    }
}
