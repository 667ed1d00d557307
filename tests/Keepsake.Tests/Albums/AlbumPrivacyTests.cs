using System.Net;
using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Albums;

/// <summary>Another user's album is answered exactly like one that does not exist, and stays as it was.</summary>
public sealed class AlbumPrivacyTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Another_users_album_is_not_found_on_every_album_endpoint_and_is_left_unchanged()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync(shared.NewEmail("stranger"));
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync("Private");
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var strangersPhoto = await KeepsakeApp.UploadPhotoAsync(stranger, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var url = $"/api/albums/{album.Id}";

        HttpResponseMessage[] responses =
        [
            await stranger.GetAsync(url),
            await stranger.PutAsJsonAsync(url, new AlbumNameDto("Mine now")),
            await stranger.PutAsJsonAsync($"{url}/cover", new AlbumCoverDto(photo.Id)),
            await stranger.GetAsync($"{url}/photos"),
            await stranger.PostAsJsonAsync($"{url}/photos", new AlbumPhotosDto([strangersPhoto.Id])),
            await stranger.DeleteAsync($"{url}/photos/{photo.Id}"),
            await stranger.PostAsJsonAsync($"{url}/shares", new CreateShareDto(null, null)),
            await stranger.GetAsync($"{url}/shares"),
            await stranger.DeleteAsync(url),
        ];

        foreach (var response in responses)
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
        Assert.Empty(await stranger.ListAlbumsAsync());
        var after = await owner.GetAlbumAsync(album.Id);
        Assert.Equal("Private", after.Name);
        Assert.Equal(1, after.PhotoCount);
        Assert.Equal([photo.Id], (await owner.GetPageAsync($"{url}/photos")).Items.Select(p => p.Id));
        Assert.Empty(await (await owner.GetAsync($"{url}/shares")).ReadAsync<List<ShareDto>>());
    }

    [Fact]
    public async Task Each_user_lists_only_their_own_albums()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync(shared.NewEmail("other"));
        var mine = await owner.CreateAlbumAsync("Mine");
        var theirs = await other.CreateAlbumAsync("Theirs");

        Assert.Equal([mine.Id], (await owner.ListAlbumsAsync()).Select(a => a.Id));
        Assert.Equal([theirs.Id], (await other.ListAlbumsAsync()).Select(a => a.Id));
    }

    [Fact]
    public async Task Adding_another_users_photo_to_my_album_is_not_found_and_adds_nothing()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync(shared.NewEmail("other"));
        var theirs = await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();

        var response = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/photos", new AlbumPhotosDto([theirs.Id]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Photo not found", problem.Title);
        var after = await owner.GetAlbumAsync(album.Id);
        Assert.Equal(0, after.PhotoCount);
        Assert.Null(after.CoverPhotoId);
    }
}
