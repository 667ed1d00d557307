using System.Net;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Operations;

public sealed class WebAppServingTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/albums/0b7c5e4e-0000-0000-0000-000000000000")]
    [InlineData("/s/some-token")]
    public async Task Client_side_routes_get_the_app_and_are_always_revalidated(string path)
    {
        using var app = new KeepsakeApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"root\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache, "index.html must be revalidated so a new release is picked up.");
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_a_year()
    {
        using var app = new KeepsakeApp();
        using var client = app.CreateClient();
        var html = await client.GetStringAsync("/");
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;

        var response = await client.GetAsync(script);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_problem_not_the_app()
    {
        using var app = new KeepsakeApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/no-such-thing");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
