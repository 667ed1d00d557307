using Keepsake.Hosting;
using Keepsake.Map;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Map;

/// <summary>The map's settings are checked at start, each refusal naming the setting, its value and what is allowed.</summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class MapOptionsTests
{
    private static IEnumerable<string> Failures(MapOptions options) =>
        new SettingsValidation<MapOptions>(MapOptions.Section).Validate(null, options).Failures ?? [];

    [Theory]
    [InlineData("tile.openstreetmap.org/{z}/{x}/{y}.png", "not an http(s) URL")]
    [InlineData("ftp://tiles.example.org/{z}/{x}/{y}.png", "not an http(s) URL")]
    [InlineData("https://tiles.example.org/{z}/{x}.png", "no {y}")]
    [InlineData("https://tiles.example.org/{x}/{y}.png", "no {z}")]
    [InlineData("https://tiles.example.org/{s}/{z}/{x}/{y}.png", "{s} may only be the first label")]
    [InlineData("https://user@tiles.example.org/{z}/{x}/{y}.png", "a user name")]
    [InlineData("", "it is empty")]
    public void A_tile_url_that_is_no_tile_template_is_refused_naming_it_and_what_is_allowed(string tileUrl, string why)
    {
        var failure = Assert.Single(Failures(new MapOptions { TileUrl = tileUrl }));

        Assert.StartsWith($"Map:TileUrl is '{tileUrl}': ", failure, StringComparison.Ordinal);
        Assert.Contains(why, failure, StringComparison.Ordinal);
        Assert.Contains("{z}, {x} and {y}", failure, StringComparison.Ordinal);
        Assert.Contains("Map:Enabled", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_map_without_a_credit_is_refused_while_it_is_on()
    {
        var failure = Assert.Single(Failures(new MapOptions { Attribution = " " }));

        Assert.StartsWith("Map:Attribution is not set; it is required", failure, StringComparison.Ordinal);
        Assert.Empty(Failures(new MapOptions { Enabled = false, Attribution = null, TileUrl = "" }));
    }

    [Fact]
    public void A_credit_link_that_is_no_web_address_is_refused()
    {
        var failure = Assert.Single(Failures(new MapOptions { AttributionUrl = "javascript:alert(1)" }));

        Assert.StartsWith("Map:AttributionUrl is 'javascript:alert(1)'; use an http(s) URL", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org")]
    [InlineData("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org")]
    [InlineData("http://127.0.0.1:8123/{z}/{x}/{y}.png", "http://127.0.0.1:8123")]
    [InlineData("https://tiles.example.org:443/{z}/{x}/{y}.png?key=abc", "https://tiles.example.org")]
    public void The_policy_source_is_the_tile_servers_origin(string tileUrl, string source)
    {
        var options = new MapOptions { TileUrl = tileUrl };

        Assert.Empty(Failures(options));
        Assert.Equal(source, options.TileSource());
    }
}
