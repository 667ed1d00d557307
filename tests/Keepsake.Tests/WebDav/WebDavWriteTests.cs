using System.Net;
using Keepsake.Photos.Trash;
using Keepsake.Tests.Infrastructure;
using static Keepsake.Tests.WebDav.Dav;

namespace Keepsake.Tests.WebDav;

/// <summary>Folders are albums: MKCOL makes one, PUT, MOVE and COPY into one add to it, DELETE takes out of it or deletes it; photos go to the trash.</summary>
public sealed class WebDavWriteTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Mkcol_under_Albums_makes_an_album_and_nowhere_else()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);

        var made = await dav.SendAsync("MKCOL", Url(email, "Albums/Summer 2024/"));
        var again = await dav.SendAsync("MKCOL", Url(email, "Albums/Summer 2024/"));
        var inPhotos = await dav.SendAsync("MKCOL", Url(email, "Photos/Camera/"));
        var nested = await dav.SendAsync("MKCOL", Url(email, "Albums/Summer 2024/Day 1/"));

        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        await again.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
        await inPhotos.AssertProblemAsync(HttpStatusCode.Forbidden);
        await nested.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["Summer 2024"], (await session.ListAlbumsAsync()).Select(a => a.Name));
    }

    [Fact]
    public async Task Mkcols_of_one_album_at_once_make_one_album()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => dav.SendAsync("MKCOL", Url(email, "Albums/Together/"))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.MethodNotAllowed }));
        Assert.Single(await session.ListAlbumsAsync());
    }

    [Fact]
    public async Task A_photo_put_into_an_album_folder_joins_the_album_and_the_library()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/Holiday/"))).EnsureSuccessAsync();

        var put = await dav.PutAsync(Url(email, "Albums/Holiday/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"));
        var noAlbum = await dav.PutAsync(Url(email, "Albums/Nowhere/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await noAlbum.AssertProblemAsync(HttpStatusCode.Conflict);
        var album = Assert.Single(await session.ListAlbumsAsync());
        Assert.Equal(1, album.PhotoCount);
        var listed = await (await dav.PropfindAsync(Url(email, "Albums/Holiday/"), "1")).MultiStatusAsync();
        Assert.Contains($"/dav/{email}/Albums/Holiday/beach.jpg", listed.Keys);
        Assert.Single((await session.GetPageAsync("/api/photos")).Items);
    }

    [Fact]
    public async Task Delete_in_an_album_folder_takes_the_photo_out_of_the_album_only()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/Holiday/"))).EnsureSuccessAsync();
        await (await dav.PutAsync(Url(email, "Albums/Holiday/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();

        var deleted = await dav.DeleteAsync(Url(email, "Albums/Holiday/beach.jpg"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, Assert.Single(await session.ListAlbumsAsync()).PhotoCount);
        Assert.Single((await session.GetPageAsync("/api/photos")).Items);
    }

    [Fact]
    public async Task Delete_of_an_album_folder_deletes_the_album_and_keeps_its_photos()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/Holiday/"))).EnsureSuccessAsync();
        await (await dav.PutAsync(Url(email, "Albums/Holiday/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();

        var deleted = await dav.DeleteAsync(Url(email, "Albums/Holiday/"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await session.ListAlbumsAsync());
        Assert.Single((await session.GetPageAsync("/api/photos")).Items);
    }

    [Fact]
    public async Task Delete_of_a_photo_puts_it_in_the_trash_and_folders_of_dates_stay()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        await (await dav.PutAsync(Url(email, "Photos/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();

        var month = await dav.DeleteAsync(Url(email, "Photos/2011/01/"));
        var photo = await dav.DeleteAsync(Url(email, "Photos/2011/01/beach.jpg"));
        var gone = await dav.PropfindAsync(Url(email, "Photos/2011/01/beach.jpg"), "0");

        await month.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, photo.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await session.GetPageAsync("/api/photos")).Items);
        Assert.Single((await (await session.GetAsync("/api/trash")).ReadAsync<TrashPageDto>()).Items);
    }

    [Fact]
    public async Task Move_and_copy_of_a_photo_into_an_album_folder_add_it_to_the_album()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/A/"))).EnsureSuccessAsync();
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/B/"))).EnsureSuccessAsync();
        await (await dav.PutAsync(Url(email, "Albums/A/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();
        var destination = $"http://localhost/dav/{email}/Albums/B/beach.jpg";

        var copied = await dav.SendAsync("COPY", Url(email, "Photos/2011/01/beach.jpg"), null, ("Destination", destination));
        var again = await dav.SendAsync("COPY", Url(email, "Albums/A/beach.jpg"), null, ("Destination", destination), ("Overwrite", "F"));
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/C/"))).EnsureSuccessAsync();
        var moved = await dav.SendAsync("MOVE", Url(email, "Albums/A/beach.jpg"), null, ("Destination", $"http://localhost/dav/{email}/Albums/C/beach.jpg"));

        Assert.Equal(HttpStatusCode.Created, copied.StatusCode);
        await again.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
        var counts = (await session.ListAlbumsAsync()).ToDictionary(a => a.Name, a => a.PhotoCount);
        Assert.Equal(new Dictionary<string, int> { ["A"] = 0, ["B"] = 1, ["C"] = 1 }, counts);
        Assert.Single((await session.GetPageAsync("/api/photos")).Items);
    }

    [Fact]
    public async Task Moving_an_album_folder_renames_the_album()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        await (await dav.SendAsync("MKCOL", Url(email, "Albums/Holiday/"))).EnsureSuccessAsync();
        var id = Assert.Single(await session.ListAlbumsAsync()).Id;

        var moved = await dav.SendAsync("MOVE", Url(email, "Albums/Holiday/"), null, ("Destination", $"http://localhost/dav/{email}/Albums/Crete 2024/"));

        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
        Assert.Equal("Crete 2024", (await session.GetAlbumAsync(id)).Name);
    }

    [Fact]
    public async Task Other_moves_are_refused_with_the_reason()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        await (await dav.PutAsync(Url(email, "Photos/beach.jpg"), TestData.Photo("gps-apple-iphone4.jpg"))).EnsureSuccessAsync();
        var source = Url(email, "Photos/2011/01/beach.jpg");

        var rename = await dav.SendAsync("MOVE", source, null, ("Destination", $"http://localhost/dav/{email}/Photos/2011/01/sand.jpg"));
        var elsewhere = await dav.SendAsync("COPY", source, null, ("Destination", $"http://example.org/dav/{email}/Albums/X/beach.jpg"));
        var otherUser = await dav.SendAsync("COPY", source, null, ("Destination", "http://localhost/dav/someone@example.com/Albums/X/beach.jpg"));
        var noAlbum = await dav.SendAsync("COPY", source, null, ("Destination", $"http://localhost/dav/{email}/Albums/X/beach.jpg"));
        var none = await dav.SendAsync("COPY", source);

        await rename.AssertProblemAsync(HttpStatusCode.Forbidden);
        await elsewhere.AssertProblemAsync(HttpStatusCode.BadGateway);
        await otherUser.AssertProblemAsync(HttpStatusCode.BadGateway);
        await noAlbum.AssertProblemAsync(HttpStatusCode.Conflict);
        await none.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
