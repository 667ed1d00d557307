using System.Net;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>Favourites and the archive: an owner's marks on their photos, and the views they make.</summary>
public sealed class PhotoMarksTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly string Fujifilm = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

    private static async Task<List<PhotoSummaryDto>> ViewAsync(HttpClient client, string query) =>
        [.. (await client.GetPageAsync("/api/photos" + query)).Items];

    private static async Task<PhotoDetailsDto> DetailsAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/photos/{id}")).ReadAsync<PhotoDetailsDto>();

    private static async Task<PhotoSummaryDto[]> UploadThreeAsync(HttpClient owner)
    {
        var upload = await PhotoTestKit.UploadBytesAsync(owner,
            ("a.jpg", PhotoTestKit.Variant(Fujifilm, 1)), ("b.jpg", PhotoTestKit.Variant(Fujifilm, 2)), ("c.jpg", PhotoTestKit.Variant(Fujifilm, 3)));
        await upload.EnsureSuccessAsync();
        return [.. await PhotoTestKit.TimelineAsync(owner)];
    }

    [Fact]
    public async Task A_favourite_is_listed_among_the_favourites_until_the_mark_is_taken_off()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadThreeAsync(owner);
        Assert.All(photos, p => Assert.False(p.Favorite));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.PutAsync($"/api/photos/{photos[1].Id}/favorite", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PutAsync($"/api/photos/{photos[1].Id}/favorite", null)).StatusCode);

        var favourites = await ViewAsync(owner, "?favorite=true");
        Assert.Equal([photos[1].Id], favourites.Select(p => p.Id));
        Assert.True(favourites[0].Favorite);
        Assert.Equal([photos[0].Id, photos[1].Id, photos[2].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.True((await DetailsAsync(owner, photos[1].Id)).Favorite);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/photos/{photos[1].Id}/favorite")).StatusCode);
        Assert.Empty(await ViewAsync(owner, "?favorite=true"));
        Assert.False((await DetailsAsync(owner, photos[1].Id)).Favorite);
    }

    [Fact]
    public async Task An_archived_photo_leaves_the_timeline_for_the_archive_and_stays_in_its_album_and_among_the_favourites()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadThreeAsync(owner);
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photos[0].Id, photos[2].Id);
        await (await owner.PutAsync($"/api/photos/{photos[0].Id}/favorite", null)).EnsureSuccessAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await owner.PutAsync($"/api/photos/{photos[0].Id}/archive", null)).StatusCode);

        Assert.Equal([photos[1].Id, photos[2].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.Equal([photos[1].Id, photos[2].Id], (await ViewAsync(owner, "?archived=false")).Select(p => p.Id));
        var archive = await ViewAsync(owner, "?archived=true");
        Assert.Equal([photos[0].Id], archive.Select(p => p.Id));
        Assert.True(archive[0].Archived);
        Assert.Equal([photos[0].Id], (await ViewAsync(owner, "?favorite=true")).Select(p => p.Id));
        Assert.Empty(await ViewAsync(owner, "?favorite=true&archived=false"));
        Assert.Equal([photos[0].Id, photos[2].Id], (await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items.Select(p => p.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/photos/{photos[0].Id}/archive")).StatusCode);
        Assert.Equal([photos[0].Id, photos[1].Id, photos[2].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.Empty(await ViewAsync(owner, "?archived=true"));
    }

    [Fact]
    public async Task Marking_a_photo_of_another_user_or_none_is_not_found_and_changes_nothing()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var photo = (await UploadThreeAsync(owner))[0];

        foreach (var mark in new[] { "favorite", "archive" })
        {
            await (await stranger.PutAsync($"/api/photos/{photo.Id}/{mark}", null)).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await stranger.DeleteAsync($"/api/photos/{photo.Id}/{mark}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await owner.PutAsync($"/api/photos/{Guid.NewGuid()}/{mark}", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Empty(await ViewAsync(owner, "?favorite=true"));
        Assert.Empty(await ViewAsync(owner, "?archived=true"));
        Assert.Equal(3, (await PhotoTestKit.TimelineAsync(owner)).Count);
    }

    [Fact]
    public async Task A_share_link_visitor_sees_the_photos_but_not_the_owners_marks()
    {
        var owner = await shared.NewUserAsync();
        var photo = (await UploadThreeAsync(owner))[0];
        await (await owner.PutAsync($"/api/photos/{photo.Id}/favorite", null)).EnsureSuccessAsync();
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = shared.Server.CreateBrowserClient();

        var seen = Assert.Single((await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items);
        var details = await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();

        Assert.Equal(photo.Id, seen.Id);
        Assert.Null(seen.Favorite);
        Assert.Null(seen.Archived);
        Assert.Null(details.Favorite);
        Assert.True((await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items.Single().Favorite);
    }
}
