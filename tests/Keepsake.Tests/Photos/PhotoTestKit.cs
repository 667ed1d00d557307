using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>An image the server returned, as libvips in the test process reads it.</summary>
public sealed record DecodedImage(int Width, int Height, int Bands, string Interpretation, string Loader);

/// <summary>Shared steps of the photo tests: uploads of arbitrary bytes, whole timelines, decoding served images.</summary>
internal static class PhotoTestKit
{
    /// <summary>The files each photo stores: its original, preview, thumbnail and large thumbnail.</summary>
    public const int FilesPerPhoto = 4;

    /// <summary>Decodes every pixel (failing on any decode error) and reports the image's shape.</summary>
    public static DecodedImage Decode(byte[] bytes)
    {
        // NetVips must be bound to a libvips before any method naming one of its types is compiled.
        LibvipsLoader.Load();
        return DecodeWithNetVips(bytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodedImage DecodeWithNetVips(byte[] bytes)
    {
        using var image = NetVips.Image.NewFromBuffer(bytes, failOn: NetVips.Enums.FailOn.Error);
        _ = image.Avg();
        var loader = image.Contains("vips-loader") ? image.Get("vips-loader") as string ?? "" : "";
        return new DecodedImage(image.Width, image.Height, image.Bands, image.Interpretation.ToString(), loader);
    }

    /// <summary>Fetches a served image, asserts its content type, and decodes it.</summary>
    public static async Task<DecodedImage> GetImageAsync(HttpClient client, string url, string contentType)
    {
        var response = await client.GetAsync(url);
        await response.EnsureSuccessAsync();
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        return Decode(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Uploads files given as names and bytes in one multipart request.</summary>
    public static async Task<HttpResponseMessage> UploadBytesAsync(HttpClient client, params (string Name, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", name);
        }
        return await client.PostAsync("/api/photos", form);
    }

    /// <summary>The bytes of a test file with <paramref name="extra"/> appended after its end: a different file showing the same picture.</summary>
    public static byte[] Variant(string path, byte extra) => [.. File.ReadAllBytes(path), extra];

    public static async Task<PhotoPageDto> PageAsync(HttpClient client, int? limit = null, string? cursor = null)
    {
        var query = new List<string>();
        if (limit is { } l)
        {
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        }
        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }
        var response = await client.GetAsync("/api/photos" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        return await response.ReadAsync<PhotoPageDto>();
    }

    /// <summary>Every page of the timeline, following <c>nextCursor</c> to the end.</summary>
    public static async Task<List<PhotoPageDto>> AllPagesAsync(HttpClient client, int limit)
    {
        var pages = new List<PhotoPageDto>();
        string? cursor = null;
        do
        {
            var page = await PageAsync(client, limit, cursor);
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 1000, "The timeline does not end.");
        }
        while (cursor is not null);
        return pages;
    }

    /// <summary>The whole timeline in one page.</summary>
    public static async Task<IReadOnlyList<PhotoSummaryDto>> TimelineAsync(HttpClient client) =>
        (await PageAsync(client, PhotosApi.MaxPageSize)).Items;

    /// <summary>Asserts that nothing of any photo was kept: no file in the data folder and an empty timeline.</summary>
    public static async Task AssertNothingStoredAsync(KeepsakeApp app, HttpClient client)
    {
        Assert.Empty(app.StoredFiles());
        Assert.Empty(await TimelineAsync(client));
    }

    /// <summary>Nothing stored for <paramref name="client"/>'s user, nor for no user, on an app other users share.</summary>
    public static async Task AssertNothingStoredAsync(SharedKeepsakeApp shared, HttpClient client)
    {
        Assert.Empty(await shared.App.StoredFilesOfAsync(client));
        Assert.Empty(await TimelineAsync(client));
    }

    /// <summary>Asserts a rejection of one file: the status, problem details, and a detail naming the file.</summary>
    public static async Task AssertRejectedAsync(HttpResponseMessage response, HttpStatusCode status, string fileName)
    {
        var problem = await response.AssertProblemAsync(status);
        Assert.Contains(fileName, problem.Detail ?? "", StringComparison.Ordinal);
    }

    public static async Task<UploadResponseDto> ReadUploadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        return (await response.Content.ReadFromJsonAsync<UploadResponseDto>())!;
    }
}
