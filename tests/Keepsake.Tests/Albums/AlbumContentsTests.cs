using System.Net;
using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Albums;

public sealed class AlbumContentsTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Added_photos_appear_in_the_album_page_newest_first_with_owner_urls()
    {
        var owner = await shared.NewUserAsync();
        var older = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var outside = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();

        var updated = await owner.AddToAlbumAsync(album.Id, older.Id, newer.Id);
        var page = await owner.GetPageAsync($"/api/albums/{album.Id}/photos");

        Assert.Equal(2, updated.PhotoCount);
        Assert.Equal([newer.Id, older.Id], page.Items.Select(p => p.Id));
        Assert.DoesNotContain(page.Items, p => p.Id == outside.Id);
        SignedUrls.AssertSigned(page.Items[0].ThumbnailUrl, newer.Id, "thumbnail");
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task The_album_page_is_paged_with_a_cursor()
    {
        var owner = await shared.NewUserAsync();
        var a = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var b = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var c = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, a.Id, b.Id, c.Id);

        var first = await owner.GetPageAsync($"/api/albums/{album.Id}/photos?limit=2");
        var second = await owner.GetPageAsync($"/api/albums/{album.Id}/photos?limit=2&cursor={Uri.EscapeDataString(first.NextCursor!)}");

        Assert.Equal([c.Id, b.Id], first.Items.Select(p => p.Id));
        Assert.Equal([a.Id], second.Items.Select(p => p.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Adding_a_photo_that_is_already_in_the_album_changes_nothing()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);

        var again = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([photo.Id, photo.Id]));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await again.ReadAsync<AlbumDto>()).PhotoCount);
        Assert.Single((await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items);
    }

    [Fact]
    public async Task Adding_the_same_photo_in_many_requests_at_once_adds_it_once_and_answers_each_with_success()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(_ => owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([photo.Id]))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, (await owner.GetAlbumAsync(album.Id)).PhotoCount);
    }

    [Fact]
    public async Task Adding_more_than_1000_photos_at_once_is_refused()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();
        var ids = Enumerable.Range(0, AlbumsApi.MaxPhotosPerRequest + 1).Select(_ => Guid.NewGuid()).ToList();

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto(ids));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_album_changed_last_comes_first_in_the_list()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var older = await owner.CreateAlbumAsync("Older");
        var newer = await owner.CreateAlbumAsync("Newer");
        Assert.Equal([newer.Id, older.Id], (await owner.ListAlbumsAsync()).Select(a => a.Id));

        await owner.AddToAlbumAsync(older.Id, photo.Id);

        Assert.Equal([older.Id, newer.Id], (await owner.ListAlbumsAsync()).Select(a => a.Id));
    }

    [Fact]
    public async Task Adding_no_photos_is_refused()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([]));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Adding_a_photo_id_that_does_not_exist_adds_none_of_the_photos()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([photo.Id, Guid.NewGuid()]));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await owner.GetAlbumAsync(album.Id)).PhotoCount);
    }

    [Fact]
    public async Task Removing_a_photo_takes_it_out_of_the_album_but_not_out_of_the_timeline()
    {
        var owner = await shared.NewUserAsync();
        var kept = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var removed = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, kept.Id, removed.Id);

        var response = await owner.DeleteAsync($"/api/albums/{album.Id}/photos/{removed.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([kept.Id], (await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items.Select(p => p.Id));
        Assert.Equal(1, (await owner.GetAlbumAsync(album.Id)).PhotoCount);
        Assert.Contains((await owner.GetPageAsync("/api/photos")).Items, p => p.Id == removed.Id);
    }

    [Fact]
    public async Task Removing_a_photo_that_is_not_in_the_album_answers_not_found()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();

        var response = await owner.DeleteAsync($"/api/albums/{album.Id}/photos/{photo.Id}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Albums_hold_only_their_owners_photos()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync(shared.NewEmail("other"));
        var mine = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var theirs = await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();

        var onlyTheirs = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([theirs.Id]));
        var mixed = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([mine.Id, theirs.Id]));

        await onlyTheirs.AssertProblemAsync(HttpStatusCode.NotFound);
        await mixed.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await owner.GetAlbumAsync(album.Id)).PhotoCount);
        Assert.Empty((await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items);
    }

    [Fact]
    public async Task The_same_file_uploaded_by_two_users_is_two_photos_and_each_album_gets_its_owners_copy()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync(shared.NewEmail("other"));
        var mine = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var theirs = await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();

        var refused = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([theirs.Id]));
        await owner.AddToAlbumAsync(album.Id, mine.Id);

        Assert.NotEqual(mine.Id, theirs.Id);
        await refused.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([mine.Id], (await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items.Select(p => p.Id));
    }
}
