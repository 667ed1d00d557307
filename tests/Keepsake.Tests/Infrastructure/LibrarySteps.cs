using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Photos;
using Keepsake.Sharing;

namespace Keepsake.Tests.Infrastructure;

/// <summary>Albums and share links, the way the web app makes them; each step must succeed.</summary>
public static class LibrarySteps
{
    public static async Task<AlbumDto> CreateAlbumAsync(this HttpClient client, string name = "Holidays") =>
        await (await client.PostAsJsonAsync("/api/albums", new AlbumNameDto(name))).ReadAsync<AlbumDto>();

    public static async Task<AlbumDto> AddToAlbumAsync(this HttpClient client, Guid albumId, params Guid[] photoIds) =>
        await (await client.PostAsJsonAsync($"/api/albums/{albumId}/photos", new AlbumPhotosDto(photoIds))).ReadAsync<AlbumDto>();

    public static async Task<AlbumDto> GetAlbumAsync(this HttpClient client, Guid albumId) =>
        await (await client.GetAsync($"/api/albums/{albumId}")).ReadAsync<AlbumDto>();

    public static async Task<List<AlbumDto>> ListAlbumsAsync(this HttpClient client) =>
        await (await client.GetAsync("/api/albums")).ReadAsync<List<AlbumDto>>();

    public static async Task<PhotoPageDto> GetPageAsync(this HttpClient client, string url) =>
        await (await client.GetAsync(url)).ReadAsync<PhotoPageDto>();

    public static async Task<CreatedShareDto> ShareAsync(this HttpClient client, Guid albumId, DateTime? expiresAt = null, string? password = null) =>
        await (await client.PostAsJsonAsync($"/api/albums/{albumId}/shares", new CreateShareDto(expiresAt, password))).ReadAsync<CreatedShareDto>();

    /// <summary>Deletes a photo, then deletes it from the trash for good: the answer of the second step.</summary>
    public static async Task<HttpResponseMessage> DeletePhotoForGoodAsync(this HttpClient client, Guid photoId)
    {
        var trashed = await client.DeleteAsync($"/api/photos/{photoId}");
        return trashed.IsSuccessStatusCode ? await client.DeleteAsync($"/api/trash/{photoId}") : trashed;
    }

    public static Task<HttpResponseMessage> UnlockAsync(this HttpClient client, string token, string password) =>
        client.PostAsJsonAsync($"/api/s/{token}/unlock", new SharePasswordDto(password));
}
