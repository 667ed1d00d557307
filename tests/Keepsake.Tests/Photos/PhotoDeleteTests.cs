using System.Net;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>
/// Deleting a photo for good (from the trash) removes its row and all its files (original, preview and thumbnails) (the files of each test's user,
/// and none of nobody's); until then it keeps them.
/// </summary>
public sealed class PhotoDeleteTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Deleting_from_the_trash_removes_the_photo_and_all_its_files()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);
        (await owner.DeleteAsync($"/api/photos/{photo.Id}")).EnsureSuccessStatusCode();
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);

        var response = await owner.DeleteAsync($"/api/trash/{photo.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(photo.ThumbnailUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(photo.PreviewUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(photo.OriginalUrl)).StatusCode);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task Deleting_a_photo_again_is_no_error_until_it_is_deleted_for_good_and_then_404()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        (await owner.DeleteAsync($"/api/photos/{photo.Id}")).EnsureSuccessStatusCode();

        var again = await owner.DeleteAsync($"/api/photos/{photo.Id}");
        var forGood = await owner.DeleteAsync($"/api/trash/{photo.Id}");

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, forGood.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/photos/{photo.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/trash/{photo.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_photo_not_in_the_trash_cannot_be_deleted_for_good()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));

        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/trash/{photo.Id}")).StatusCode);

        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);
        Assert.Equal(photo.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
    }

    [Fact]
    public async Task Deleting_a_photo_that_never_existed_is_404_and_touches_nothing()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var files = (await shared.App.StoredFilesOfAsync(owner));

        var response = await owner.DeleteAsync($"/api/photos/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(files, (await shared.App.StoredFilesOfAsync(owner)));
        Assert.Equal(photo.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
    }

    [Fact]
    public async Task Deleting_one_photo_keeps_the_other_photos_and_their_files()
    {
        var owner = await shared.NewUserAsync();
        var kept = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var keptFiles = (await shared.App.StoredFilesOfAsync(owner));
        var deleted = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);

        (await owner.DeletePhotoForGoodAsync(deleted.Id)).EnsureSuccessStatusCode();

        Assert.Equal(keptFiles, (await shared.App.StoredFilesOfAsync(owner)));
        Assert.Equal(kept.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(kept.ThumbnailUrl)).StatusCode);
    }

    [Fact]
    public async Task After_a_delete_for_good_the_same_bytes_upload_as_a_new_photo()
    {
        var owner = await shared.NewUserAsync();
        var path = TestData.Photo("alpha.png");
        var first = await KeepsakeApp.UploadPhotoAsync(owner, path);
        (await owner.DeletePhotoForGoodAsync(first.Id)).EnsureSuccessStatusCode();

        var again = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(owner, path), HttpStatusCode.Created);

        var uploaded = Assert.Single(again.Photos);
        Assert.False(uploaded.Duplicate);
        Assert.NotEqual(first.Id, uploaded.Photo.Id);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(uploaded.Photo.ThumbnailUrl)).StatusCode);
    }
}
