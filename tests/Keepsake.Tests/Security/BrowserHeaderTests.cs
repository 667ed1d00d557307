using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>Every answer tells the browser to run only the app's own script, never to sniff a type, never to be framed,
/// not to leak the URL (share tokens are in it) to other sites, and to keep camera, microphone and location off.</summary>
public sealed partial class BrowserHeaderTests(SharingSecurityApp server) : IClassFixture<SharingSecurityApp>
{
    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>|<style|\\sstyle=|\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Reference();

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/albums")]
    [InlineData("GET", "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("GET", "/favicon.svg")]
    [InlineData("GET", "/api/auth/me")]
    [InlineData("GET", "/api/no-such-endpoint")]
    [InlineData("GET", "/api/photos/not-a-guid/original")]
    [InlineData("GET", "/api/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/photos")]
    [InlineData("POST", "/api/auth/login")]
    public async Task Every_response_carries_a_strict_content_security_policy(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await server.Stranger().SendAsync(request);

        AssertHardened(response);
    }

    [Fact]
    public async Task The_web_app_page_has_no_inline_script_or_style_and_loads_only_its_own_files()
    {
        var stranger = server.Stranger();

        var page = await stranger.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotMatch(InlineCode(), html);
        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(references, r => r.EndsWith(".js", StringComparison.Ordinal));
        foreach (var reference in references)
        {
            Assert.StartsWith("/", reference, StringComparison.Ordinal);
            Assert.False(reference.StartsWith("//", StringComparison.Ordinal), reference);
            var file = await stranger.GetAsync(reference);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            AssertHardened(file);
            var expected = Path.GetExtension(reference) switch
            {
                ".js" => "text/javascript",
                ".css" => "text/css",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                ".webmanifest" => "application/manifest+json",
                var other => throw new Xunit.Sdk.XunitException($"unexpected file {reference} ({other})"),
            };
            Assert.Equal(expected, file.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Served_photos_are_not_sniffed()
    {
        var user = await server.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(user, TestData.Photo("gps-apple-iphone4.jpg"));

        foreach (var (url, type) in new[] { (photo.ThumbnailUrl, "image/webp"), (photo.PreviewUrl, "image/jpeg"), (photo.OriginalUrl, "image/jpeg") })
        {
            var response = await user.GetAsync(url);
            await response.EnsureSuccessAsync();
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            AssertHardened(response);
        }
    }

    [Fact]
    public async Task Signed_in_api_answers_carry_the_headers_too()
    {
        var user = await server.NewUserAsync();

        var timeline = await user.GetAsync("/api/photos");
        var badShare = await user.PostAsJsonAsync($"/api/albums/{Guid.NewGuid()}/shares", new { password = "x" });

        await timeline.EnsureSuccessAsync();
        AssertHardened(timeline);
        AssertHardened(badShare);
    }

    private static void AssertHardened(HttpResponseMessage response)
    {
        var policy = Header(response, "Content-Security-Policy");
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("'self'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["style-src"]);
        // Besides its own, the tile server of the map (OpenStreetMap's unless set otherwise; MapSettingsTests has the rest).
        Assert.Equal("'self' https://tile.openstreetmap.org", directives["img-src"]);
        Assert.Equal("'none'", directives["object-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'self'", directives["base-uri"]);
        Assert.Equal("'self'", directives["form-action"]);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains(Header(response, "Referrer-Policy"), new[] { "same-origin", "no-referrer" });
        var permissions = Header(response, "Permissions-Policy");
        Assert.All(new[] { "camera=()", "microphone=()", "geolocation=()" }, p => Assert.Contains(p, permissions, StringComparison.Ordinal));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri} has no {name} header");
}
