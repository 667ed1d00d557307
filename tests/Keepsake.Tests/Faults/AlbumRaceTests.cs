using System.Net;
using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Keepsake.Tests.Faults;

/// <summary>
/// Changes of an album racing the deletion of the album or of a photo (issue 18, fault 6): each race runs 200 rounds,
/// its two requests sent at the same moment, two rounds side by side. Every answer is the change made or a 404 problem,
/// never a 500, and no error or failed command (a deadlock) is logged; afterwards no album holds a photo or a link that is gone, no cover
/// lies outside its album, and fsck finds nothing wrong.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class AlbumRaceTests(AlbumRaceServer server, ITestOutputHelper output) : IClassFixture<AlbumRaceServer>
{
    private const int Rounds = 200;
    private const int Lanes = 2;

    private static readonly HttpStatusCode[] ChangedOrGone = [HttpStatusCode.OK, HttpStatusCode.NotFound];
    private static readonly HttpStatusCode[] RemovedOrGone = [HttpStatusCode.NoContent, HttpStatusCode.NotFound];

    private HttpClient Owner => server.Owner;

    [Fact]
    public async Task Adding_a_photo_while_it_is_deleted_answers_404_never_500()
    {
        var album = await Owner.CreateAlbumAsync("Photos deleted while added");
        var photos = await server.UploadPhotosAsync(Rounds);
        var adds = new Answers("add photo", ChangedOrGone);
        var deletes = new Answers("delete photo", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(adds, () => AddAsync(album.Id, photos[round]), deletes, () => DeletePhotoAsync(photos[round])));

        await AssertAftermathAsync(adds, deletes);
        Assert.Equal(0, (await Owner.GetAlbumAsync(album.Id)).PhotoCount);
    }

    [Fact]
    public async Task Adding_photos_while_the_album_is_deleted_answers_404_never_500()
    {
        var albums = await server.CreateAlbumsAsync("Deleted while photos are added", Rounds);
        var adds = new Answers("add photos", ChangedOrGone);
        var deletes = new Answers("delete album", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(adds, () => AddAsync(albums[round], server.Kept), deletes, () => DeleteAlbumAsync(albums[round])));

        await AssertAftermathAsync(adds, deletes);
    }

    [Fact]
    public async Task Removing_a_photo_while_the_album_is_deleted_answers_404_never_500()
    {
        var albums = await server.CreateAlbumsAsync("Deleted while a photo is removed", Rounds, _ => server.Kept);
        var removes = new Answers("remove photo", RemovedOrGone);
        var deletes = new Answers("delete album", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(removes, () => RemoveAsync(albums[round], server.Kept[0]), deletes, () => DeleteAlbumAsync(albums[round])));

        await AssertAftermathAsync(removes, deletes);
    }

    [Fact]
    public async Task Removing_the_cover_photo_while_it_is_deleted_answers_404_never_500()
    {
        var photos = await server.UploadPhotosAsync(Rounds);
        var albums = await server.CreateAlbumsAsync("Covers deleted while removed", Rounds, round => [photos[round]], coverFirst: true);
        var removes = new Answers("remove photo", RemovedOrGone);
        var deletes = new Answers("delete photo", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(removes, () => RemoveAsync(albums[round], photos[round]), deletes, () => DeletePhotoAsync(photos[round])));

        await AssertAftermathAsync(removes, deletes);
    }

    [Fact]
    public async Task Setting_the_cover_while_the_album_is_deleted_answers_404_never_500()
    {
        var albums = await server.CreateAlbumsAsync("Deleted while its cover is set", Rounds, _ => server.Kept);
        var covers = new Answers("set cover", ChangedOrGone);
        var deletes = new Answers("delete album", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(covers, () => SetCoverAsync(albums[round], server.Kept[round % 2]), deletes, () => DeleteAlbumAsync(albums[round])));

        await AssertAftermathAsync(covers, deletes);
    }

    [Fact]
    public async Task Setting_the_cover_while_the_photo_is_deleted_answers_404_never_500()
    {
        var photos = await server.UploadPhotosAsync(Rounds);
        var album = (await Owner.AddToAlbumAsync((await Owner.CreateAlbumAsync("Covers deleted while chosen")).Id, [.. photos])).Id;
        var covers = new Answers("set cover", ChangedOrGone);
        var deletes = new Answers("delete photo", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(covers, () => SetCoverAsync(album, photos[round]), deletes, () => DeletePhotoAsync(photos[round])));

        await AssertAftermathAsync(covers, deletes);
        Assert.Null((await Owner.GetAlbumAsync(album)).CoverPhotoId);
    }

    [Fact]
    public async Task Setting_the_cover_while_it_is_removed_from_the_album_never_leaves_a_cover_outside_the_album()
    {
        var albums = await server.CreateAlbumsAsync("Cover removed while chosen", Rounds, _ => server.Kept);
        var covers = new Answers("set cover", HttpStatusCode.OK, HttpStatusCode.BadRequest);
        var removes = new Answers("remove photo", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(covers, () => SetCoverAsync(albums[round], server.Kept[0]), removes, () => RemoveAsync(albums[round], server.Kept[0])));

        await AssertAftermathAsync(covers, removes);
    }

    [Fact]
    public async Task Sharing_an_album_while_it_is_deleted_answers_404_never_500()
    {
        var albums = await server.CreateAlbumsAsync("Deleted while shared", Rounds);
        var shares = new Answers("create link", HttpStatusCode.Created, HttpStatusCode.NotFound);
        var deletes = new Answers("delete album", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(shares, () => Owner.PostAsJsonAsync($"/api/albums/{albums[round]}/shares", new CreateShareDto(null, null)),
                deletes, () => DeleteAlbumAsync(albums[round])));

        await AssertAftermathAsync(shares, deletes);
    }

    [Fact]
    public async Task Renaming_an_album_while_it_is_deleted_answers_404_never_500()
    {
        var albums = await server.CreateAlbumsAsync("Deleted while renamed", Rounds);
        var renames = new Answers("rename", ChangedOrGone);
        var deletes = new Answers("delete album", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(renames, () => Owner.PutAsJsonAsync($"/api/albums/{albums[round]}", new AlbumNameDto("Renamed")),
                deletes, () => DeleteAlbumAsync(albums[round])));

        await AssertAftermathAsync(renames, deletes);
    }

    [Fact]
    public async Task Deleting_an_album_while_its_cover_photo_is_deleted_deletes_both()
    {
        var photos = await server.UploadPhotosAsync(Rounds);
        var albums = await server.CreateAlbumsAsync("Deleted with its cover", Rounds, round => [photos[round]], coverFirst: true);
        var albumDeletes = new Answers("delete album", HttpStatusCode.NoContent);
        var photoDeletes = new Answers("delete photo", HttpStatusCode.NoContent);

        await Race.RoundsAsync(Rounds, Lanes, round =>
            Race.RunAsync(albumDeletes, () => DeleteAlbumAsync(albums[round]), photoDeletes, () => DeletePhotoAsync(photos[round])));

        await AssertAftermathAsync(albumDeletes, photoDeletes);
    }

    private Task<HttpResponseMessage> AddAsync(Guid albumId, params Guid[] photoIds) =>
        Owner.PostAsJsonAsync($"/api/albums/{albumId}/photos", new AlbumPhotosDto(photoIds));

    private Task<HttpResponseMessage> RemoveAsync(Guid albumId, Guid photoId) => Owner.DeleteAsync($"/api/albums/{albumId}/photos/{photoId}");

    private Task<HttpResponseMessage> SetCoverAsync(Guid albumId, Guid photoId) =>
        Owner.PutAsJsonAsync($"/api/albums/{albumId}/cover", new AlbumCoverDto(photoId));

    private Task<HttpResponseMessage> DeleteAlbumAsync(Guid albumId) => Owner.DeleteAsync($"/api/albums/{albumId}");

    private Task<HttpResponseMessage> DeletePhotoAsync(Guid photoId) => Owner.DeletePhotoForGoodAsync(photoId);

    /// <summary>
    /// Every answer allowed, no error or failed command logged; the data sound, both what the foreign keys keep and what only the code
    /// keeps (a cover is one of its album's photos); fsck clean.
    /// </summary>
    private async Task AssertAftermathAsync(params Answers[] answers)
    {
        var faults = server.Faults.Take();
        foreach (var kind in answers)
        {
            output.WriteLine(kind.ToString());
        }
        output.WriteLine($"errors and failed commands logged: {faults.Count}");
        foreach (var kind in answers)
        {
            kind.AssertAllAllowed();
        }
        Assert.True(faults.Count == 0, $"{faults.Count} errors or failed commands logged, the first: {faults.FirstOrDefault()}");
        using (var scope = server.Web.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
            Assert.Equal(0, await db.AlbumPhotos.CountAsync(ap => !db.Set<Album>().Any(a => a.Id == ap.AlbumId) || !db.Set<Photo>().Any(p => p.Id == ap.PhotoId)));
            Assert.Equal(0, await db.ShareLinks.CountAsync(l => !db.Set<Album>().Any(a => a.Id == l.AlbumId)));
            var coversOutside = await db.Albums.Where(a => a.CoverPhotoId != null && !db.Set<AlbumPhoto>().Any(ap => ap.AlbumId == a.Id && ap.PhotoId == a.CoverPhotoId))
                .Select(a => a.Name).ToListAsync();
            Assert.True(coversOutside.Count == 0, $"{coversOutside.Count} albums have a cover outside the album: {string.Join(", ", coversOutside.Distinct())}");
        }
        await Aftermath.AssertFsckCleanAsync(server.App);
    }
}
