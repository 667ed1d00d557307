using System.IO.Compression;
using System.Net;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Albums;

/// <summary>"Download all": GET /api/albums/{id}/download streams the album's originals as a zip named after it.</summary>
public sealed class AlbumDownloadTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static async Task<Dictionary<string, byte[]>> EntriesAsync(HttpResponseMessage response)
    {
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in zip.Entries)
        {
            using var content = new MemoryStream();
            await using (var stream = await entry.OpenAsync())
            {
                await stream.CopyToAsync(content);
            }
            entries[entry.FullName] = content.ToArray();
        }
        return entries;
    }

    [Fact]
    public async Task The_owner_downloads_every_original_of_the_album_byte_for_byte_and_nothing_in_the_trash_or_outside_it()
    {
        var owner = await shared.NewUserAsync();
        var fujifilm = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var png = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var trashed = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync("Summer: by the sea");
        await owner.AddToAlbumAsync(album.Id, fujifilm.Id, png.Id, trashed.Id);
        await (await owner.DeleteAsync($"/api/photos/{trashed.Id}")).EnsureSuccessAsync();

        var response = await owner.GetAsync($"/api/albums/{album.Id}/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Summer_ by the sea.zip", response.Content.Headers.ContentDisposition?.FileNameStar);
        var entries = await EntriesAsync(response);
        Assert.Equal(["alpha.png", "gps-fujifilm-finepix-s2pro.jpg"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo("alpha.png")), entries["alpha.png"]);
        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo("gps-fujifilm-finepix-s2pro.jpg")), entries["gps-fujifilm-finepix-s2pro.jpg"]);
    }

    [Fact]
    public async Task An_empty_album_downloads_as_an_empty_zip()
    {
        var owner = await shared.NewUserAsync();
        var album = await owner.CreateAlbumAsync();

        var response = await owner.GetAsync($"/api/albums/{album.Id}/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await EntriesAsync(response));
    }

    [Fact]
    public async Task Another_users_album_or_none_is_not_found()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);

        foreach (var url in new[] { $"/api/albums/{album.Id}/download", $"/api/albums/{Guid.NewGuid()}/download" })
        {
            var problem = await (await stranger.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("Album not found", problem.Title);
        }
    }
}
