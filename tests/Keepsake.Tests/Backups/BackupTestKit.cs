using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Backups;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Backups;

/// <summary>A small library made through the API: two users, photos, an album and a share link.</summary>
public sealed record SampleLibrary(string OwnerEmail, string FriendEmail, Guid FriendId, AlbumDto Album, CreatedShareDto Share, IReadOnlyList<PhotoDetailsDto> Photos);

/// <summary>Everything the API says about a library, including the bytes of every photo's files, as comparable text.</summary>
public static class BackupTestKit
{
    public const string Owner = "owner@example.com";
    public const string Friend = "friend@example.com";

    public static string Describe(CliResult result) => $"exit {result.ExitCode}\nstdout:\n{result.Output}\nstderr:\n{result.Error}";

    public static async Task<SampleLibrary> CreateLibraryAsync(KeepsakeApp app)
    {
        var owner = await app.CreateOwnerAsync(Owner);
        var friend = await app.CreateUserAsync(owner, Friend);
        var photos = new List<PhotoDetailsDto>
        {
            await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg")),
            await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg")),
            await KeepsakeApp.UploadPhotoAsync(friend, TestData.Photo("orientation-6-portrait.jpg")),
        };
        var album = await owner.CreateAlbumAsync("Summer");
        album = await owner.AddToAlbumAsync(album.Id, photos[0].Id, photos[1].Id);
        var share = await owner.ShareAsync(album.Id);
        var users = await (await owner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        return new SampleLibrary(Owner, Friend, users.Single(u => u.Email == Friend).Id, album, share, photos);
    }

    /// <summary>Changes only the database (never a file), so a restore of the earlier backup must undo every change.</summary>
    public static async Task ChangeLibraryAsync(KeepsakeApp app, SampleLibrary library)
    {
        var owner = await app.LoginAsync(library.OwnerEmail);
        await (await owner.PutAsJsonAsync($"/api/albums/{library.Album.Id}", new AlbumNameDto("Renamed"))).EnsureSuccessAsync();
        await (await owner.DeleteAsync($"/api/albums/{library.Album.Id}/photos/{library.Photos[1].Id}")).EnsureSuccessAsync();
        await (await owner.DeleteAsync($"/api/shares/{library.Share.Id}")).EnsureSuccessAsync();
        await app.CreateUserAsync(owner, "latecomer@example.com");
    }

    /// <summary>What the owner, the friend and an anonymous visitor of the share link see, as JSON.</summary>
    public static async Task<string> ViewAsync(KeepsakeApp app, SampleLibrary library)
    {
        var owner = await app.LoginAsync(library.OwnerEmail);
        var friend = await app.LoginAsync(library.FriendEmail);
        var visitor = app.CreateUserClient();
        var view = new Dictionary<string, object?>
        {
            ["users"] = (await (await owner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>()).OrderBy(u => u.Email, StringComparer.Ordinal).ToList(),
            ["ownerTimeline"] = await owner.GetPageAsync("/api/photos"),
            ["friendTimeline"] = await friend.GetPageAsync("/api/photos"),
            ["albums"] = await owner.ListAlbumsAsync(),
            ["albumPhotos"] = await owner.GetPageAsync($"/api/albums/{library.Album.Id}/photos"),
            ["shares"] = await (await owner.GetAsync($"/api/albums/{library.Album.Id}/shares")).ReadAsync<List<ShareDto>>(),
        };
        var shared = await visitor.GetAsync($"/api/s/{library.Share.Token}");
        // A refusal carries a fresh trace id each time: only its status is compared.
        view["sharedAlbum"] = shared.IsSuccessStatusCode ? await shared.Content.ReadAsStringAsync() : ((int)shared.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var photo in library.Photos)
        {
            var client = photo == library.Photos[2] ? friend : owner;
            view[$"photo {photo.Id}"] = await (await client.GetAsync($"/api/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();
            foreach (var variant in new[] { "original", "preview", "thumbnail" })
            {
                var response = await client.GetAsync($"/api/photos/{photo.Id}/{variant}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                view[$"{variant} {photo.Id}"] = Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
            }
        }
        return SignedUrls.WithoutSignatures(JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }

    /// <summary>
    /// Erases a user the way the erasure engine does (the ledger entry first, then the rows and files), through the
    /// server's own services: the one place to switch to the <c>keepsake user erase</c> door once it exists.
    /// </summary>
    public static async Task<ErasureEntry> EraseUserAsync(KeepsakeApp app, Guid userId, DateTimeOffset erasedAt)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<ErasureLedger>().AppendAsync(userId, erasedAt, CancellationToken.None);
        Assert.True(await scope.ServiceProvider.GetRequiredService<UserErasure>().EraseAsync(userId, CancellationToken.None));
        return entry;
    }

    /// <summary>Runs <c>keepsake backup create</c>, which must succeed, and returns the id it prints.</summary>
    public static async Task<string> CreateBackupAsync(KeepsakeApp app, string arguments = "backup create")
    {
        var result = await CliRunner.RunAsync(app, arguments);
        Assert.True(result.ExitCode == 0, Describe(result));
        return Assert.Single(result.Lines);
    }

    /// <summary>The manifest of backup <paramref name="id"/>, read straight from the store.</summary>
    public static async Task<BackupManifest> ReadManifestAsync(KeepsakeApp app, string id) =>
        JsonSerializer.Deserialize<BackupManifest>(await app.ReadStoredFileAsync($"backups/{id}/manifest.json"), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}
