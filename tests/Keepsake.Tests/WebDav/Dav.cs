using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Keepsake.Tests.Accounts;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keepsake.Tests.WebDav;

/// <summary>WebDAV requests as a client sends them: HTTP Basic with an e-mail and a device key, PROPFIND bodies, multistatus answers.</summary>
public static class Dav
{
    public static readonly XNamespace D = "DAV:";

    public const string AllProp = """<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>""";

    /// <summary>A client with nothing but HTTP Basic: the e-mail and the key.</summary>
    public static HttpClient BasicClient(this WebApplicationFactory<Program> server, string email, string password)
    {
        var client = server.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = Basic(email, password);
        return client;
    }

    public static AuthenticationHeaderValue Basic(string email, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:{password}")));

    /// <summary>A fresh user's session, their e-mail, and a WebDAV client holding a new key of theirs with the scope.</summary>
    public static async Task<(HttpClient Session, string Email, HttpClient Dav)> UserWithDavAsync(SharedKeepsakeApp shared, string scope = "full")
    {
        var email = shared.NewEmail("dav");
        var session = await shared.NewUserAsync(email);
        var key = await session.CreateKeyAsync(scope);
        return (session, email, shared.Server.BasicClient(email, key.Key));
    }

    public static string Url(string email, string path = "") => $"/dav/{email}/{path}";

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, string method, string url, HttpContent? content = null,
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PropfindAsync(this HttpClient client, string url, string depth, string? body = null) =>
        client.SendAsync("PROPFIND", url, body is null ? null : new StringContent(body, Encoding.UTF8, "application/xml"), ("Depth", depth));

    /// <summary>The 207 answer's responses by their decoded href.</summary>
    public static async Task<Dictionary<string, XElement>> MultiStatusAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 207, $"expected 207, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var root = XDocument.Parse(body).Root!;
        Assert.Equal(D + "multistatus", root.Name);
        return root.Elements(D + "response").ToDictionary(r => Uri.UnescapeDataString(r.Element(D + "href")!.Value), r => r);
    }

    /// <summary>The properties of one response whose propstat says <paramref name="status"/>.</summary>
    public static XElement Props(this XElement response, int status = 200) =>
        response.Elements(D + "propstat").Single(p => p.Element(D + "status")!.Value.Contains($" {status} ", StringComparison.Ordinal)).Element(D + "prop")!;

    public static bool IsCollection(this XElement response) =>
        response.Props().Element(D + "resourcetype")?.Element(D + "collection") is not null;

    public static ByteArrayContent FileContent(string path) => new(System.IO.File.ReadAllBytes(path));

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string url, string file) => client.SendAsync("PUT", url, FileContent(file));
}
