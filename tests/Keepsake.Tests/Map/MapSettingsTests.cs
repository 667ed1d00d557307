using System.Net;
using Keepsake.Map;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Map;

/// <summary>
/// The map's settings reach the web app, and the Content-Security-Policy lets the browser load images from the
/// configured tile server and nowhere else; a map that is turned off answers 404 and adds nothing to the policy.
/// </summary>
public sealed class MapSettingsTests
{
    [Fact]
    public async Task The_web_app_learns_the_tile_url_and_its_credit_and_the_policy_allows_that_tile_host_only()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Map:TileUrl"] = "http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png",
            ["Map:Attribution"] = "Tiles by the test",
            ["Map:AttributionUrl"] = "",
        });
        var owner = await app.CreateOwnerAsync();

        var settings = await (await owner.GetAsync("/api/map/settings")).ReadAsync<MapSettingsDto>();
        var page = await app.CreateUserClient().GetAsync("/");
        var markers = await owner.GetAsync("/api/map/markers");

        Assert.Equal(new MapSettingsDto(true, "http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png", "Tiles by the test", null), settings);
        Assert.Equal("'self' http://127.0.0.1:8123", ImageSources(page));
        Assert.Equal("'self' http://127.0.0.1:8123", ImageSources(markers));
        Assert.Equal("'self'", Directive(page, "connect-src"));
    }

    [Fact]
    public async Task A_map_turned_off_answers_not_found_saying_so_and_adds_nothing_to_the_policy()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Map:Enabled"] = "false", ["Map:Attribution"] = "" });
        var owner = await app.CreateOwnerAsync();

        var settings = await (await owner.GetAsync("/api/map/settings")).ReadAsync<MapSettingsDto>();
        var markers = await owner.GetAsync("/api/map/markers");
        var photos = await owner.GetAsync($"/api/map/photos?id={Guid.NewGuid()}");

        Assert.Equal(new MapSettingsDto(false, null, null, null), settings);
        Assert.Equal("The map is turned off", (await markers.AssertProblemAsync(HttpStatusCode.NotFound)).Title);
        Assert.Contains("Map:Enabled", (await photos.AssertProblemAsync(HttpStatusCode.NotFound)).Detail, StringComparison.Ordinal);
        Assert.Equal("'self'", ImageSources(markers));
        Assert.Equal("'self'", ImageSources(await app.CreateUserClient().GetAsync("/")));
    }

    [Fact]
    public async Task The_default_map_is_openstreetmaps_with_its_credit()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var settings = await (await owner.GetAsync("/api/map/settings")).ReadAsync<MapSettingsDto>();

        Assert.Equal(new MapSettingsDto(true, "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors", "https://www.openstreetmap.org/copyright"), settings);
        Assert.Equal("'self' https://tile.openstreetmap.org", ImageSources(await owner.GetAsync("/api/map/settings")));
    }

    private static string ImageSources(HttpResponseMessage response) => Directive(response, "img-src");

    private static string Directive(HttpResponseMessage response, string name)
    {
        var policy = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));
        var directive = policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal));
        return directive[(name.Length + 1)..];
    }
}
