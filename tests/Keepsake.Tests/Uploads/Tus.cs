using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Uploads;

/// <summary>A tus 1.0.0 client by hand, for protocol tests: the headers of each request and the calls that send them.</summary>
internal static class Tus
{
    public static IReadOnlyDictionary<string, string> Resumable { get; } = new Dictionary<string, string> { ["Tus-Resumable"] = "1.0.0" };

    /// <summary><c>Upload-Metadata</c> from plain values, each base64-encoded as the protocol wants.</summary>
    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(",", pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    public static IReadOnlyDictionary<string, string> Creation(string fileName, long length, string? metadata = null) => new Dictionary<string, string>
    {
        ["Tus-Resumable"] = "1.0.0",
        ["Upload-Length"] = length.ToString(CultureInfo.InvariantCulture),
        ["Upload-Metadata"] = metadata ?? Metadata(("filename", fileName)),
    };

    public static IReadOnlyDictionary<string, string> Append(long offset) => new Dictionary<string, string>
    {
        ["Tus-Resumable"] = "1.0.0",
        ["Upload-Offset"] = offset.ToString(CultureInfo.InvariantCulture),
    };

    public static ByteArrayContent Chunk(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return content;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, IReadOnlyDictionary<string, string> headers, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string fileName, long length, string? metadata = null) =>
        SendAsync(client, HttpMethod.Post, "/api/uploads", Creation(fileName, length, metadata));

    /// <summary>Creates an upload and returns where it is.</summary>
    public static async Task<Uri> CreateAsync(HttpClient client, string fileName, long length, string? metadata = null)
    {
        var response = await PostAsync(client, fileName, length, metadata);
        await response.EnsureSuccessAsync();
        return response.Headers.Location ?? throw new InvalidOperationException("The creation gave no Location.");
    }

    public static Task<HttpResponseMessage> HeadAsync(HttpClient client, Uri upload) => SendAsync(client, HttpMethod.Head, upload.ToString(), Resumable);

    public static async Task<long> OffsetAsync(HttpClient client, Uri upload)
    {
        var response = await HeadAsync(client, upload);
        await response.EnsureSuccessAsync();
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri upload, long offset, byte[] bytes, string? checksum = null)
    {
        var headers = new Dictionary<string, string>(Append(offset));
        if (checksum is not null)
        {
            headers["Upload-Checksum"] = checksum;
        }
        return SendAsync(client, HttpMethod.Patch, upload.ToString(), headers, Chunk(bytes));
    }

    /// <summary>Sends a whole file in chunks of <paramref name="chunkSize"/> and returns the answer to the last one.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string fileName, int chunkSize, string? metadata = null)
    {
        var upload = await CreateAsync(client, fileName, file.Length, metadata);
        HttpResponseMessage? last = null;
        for (var offset = 0; offset < file.Length; offset += chunkSize)
        {
            last?.Dispose();
            last = await PatchAsync(client, upload, offset, file[offset..Math.Min(file.Length, offset + chunkSize)]);
            if (!last.IsSuccessStatusCode)
            {
                return last;
            }
        }
        return last!;
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
