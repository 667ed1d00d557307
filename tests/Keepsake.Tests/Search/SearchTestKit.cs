using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Search;

/// <summary>Searching as the web app does, and photos made for it.</summary>
public static class SearchTestKit
{
    /// <summary>Taken in Paris (Île-de-France, France) on 2002-08-24 with a FUJIFILM FinePixS2Pro.</summary>
    public static readonly string Fujifilm = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

    /// <summary>Taken in Rome (Lazio, Italy) on 2011-01-13 with an Apple iPhone 4.</summary>
    public static readonly string IPhone = TestData.Photo("gps-apple-iphone4.jpg");

    /// <summary>The ids of every match of <paramref name="query"/> (a query string without its <c>?</c>), page after page.</summary>
    public static async Task<List<Guid>> SearchAsync(this HttpClient client, string query, int limit = 100)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.GetPageAsync($"/api/search?{query}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            ids.AddRange(page.Items.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return ids;
    }

    public static Task<List<Guid>> SearchForAsync(this HttpClient client, string q) => client.SearchAsync("q=" + Uri.EscapeDataString(q));

    /// <summary>Uploads copies of <paramref name="source"/> under these names, one request each so each is newer than the last; their ids in that order.</summary>
    public static async Task<Guid[]> UploadNamedAsync(this HttpClient client, string source, params string[] names)
    {
        var ids = new List<Guid>();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var upload = await PhotoTestKit.ReadUploadAsync(await PhotoTestKit.UploadBytesAsync(client, (name, PhotoTestKit.Variant(source, (byte)(i + 1)))), System.Net.HttpStatusCode.Created);
            ids.Add(upload.Photos.Single().Photo.Id);
        }
        return [.. ids];
    }

    public static async Task DescribeAsync(this HttpClient client, Guid photoId, string? description) =>
        await (await client.PutAsJsonAsync($"/api/photos/{photoId}/description", new PhotoDescriptionDto(description))).EnsureSuccessAsync();
}
