using System.Net;
using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Albums;

public sealed class AlbumNameTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task A_new_album_is_empty_and_has_the_trimmed_name()
    {
        var owner = await shared.NewUserAsync();

        var response = await owner.PostAsJsonAsync("/api/albums", new AlbumNameDto("  Summer 2024 "));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var album = await response.ReadAsync<AlbumDto>();
        Assert.Equal("Summer 2024", album.Name);
        Assert.Equal(0, album.PhotoCount);
        Assert.Null(album.CoverPhotoId);
        Assert.Null(album.CoverThumbnailUrl);
        Assert.Equal($"/api/albums/{album.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Summer 2024", (await owner.GetAlbumAsync(album.Id)).Name);
    }

    [Fact]
    public async Task A_name_of_exactly_200_characters_is_accepted()
    {
        var owner = await shared.NewUserAsync();
        var name = new string('a', AlbumsApi.MaxNameLength);

        var album = await owner.CreateAlbumAsync(name);

        Assert.Equal(name, (await owner.GetAlbumAsync(album.Id)).Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData(201)]
    public async Task An_album_without_a_name_of_1_to_200_characters_is_refused(object? name)
    {
        var owner = await shared.NewUserAsync();
        var text = name is int length ? new string('x', length) : (string?)name;

        var response = await owner.PostAsJsonAsync("/api/albums", new { name = text });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Invalid album name", problem.Title);
        Assert.Contains("\"name\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await owner.ListAlbumsAsync());
    }

    [Fact]
    public async Task Renaming_an_album_changes_its_name_in_the_list()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync("Draft");

        var response = await owner.PutAsJsonAsync($"/api/albums/{album.Id}", new AlbumNameDto(" Final "));

        Assert.Equal("Final", (await response.ReadAsync<AlbumDto>()).Name);
        Assert.Equal("Final", Assert.Single(await owner.ListAlbumsAsync()).Name);
    }

    [Fact]
    public async Task Renaming_to_an_empty_or_too_long_name_is_refused_and_keeps_the_old_name()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync("Keep me");

        var empty = await owner.PutAsJsonAsync($"/api/albums/{album.Id}", new AlbumNameDto(" "));
        var tooLong = await owner.PutAsJsonAsync($"/api/albums/{album.Id}", new AlbumNameDto(new string('y', 201)));

        await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Keep me", (await owner.GetAlbumAsync(album.Id)).Name);
    }

    [Fact]
    public async Task The_album_list_shows_each_album_with_its_photo_count()
    {
        var owner = await shared.NewUserAsync();
        var first = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var second = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var two = await owner.CreateAlbumAsync("Two");
        var none = await owner.CreateAlbumAsync("None");
        await owner.AddToAlbumAsync(two.Id, first.Id, second.Id);

        var albums = await owner.ListAlbumsAsync();

        Assert.Equal(2, albums.Count);
        Assert.Equal(2, albums.Single(a => a.Id == two.Id).PhotoCount);
        Assert.Equal(0, albums.Single(a => a.Id == none.Id).PhotoCount);
        Assert.Null(albums.Single(a => a.Id == none.Id).CoverPhotoId);
    }
}
