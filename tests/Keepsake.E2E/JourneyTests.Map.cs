using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>The map, drawn from a tile server on loopback, as a person uses it.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task The_map_shows_where_the_photos_were_taken_and_opens_one()
    {
        await using var tiles = await TileServerStub.StartAsync();
        await using var server = await KeepsakeProcess.StartAsync(new Dictionary<string, string>
        {
            ["Map:TileUrl"] = tiles.TileUrl,
            ["Map:Attribution"] = "Test tiles",
        });
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        // Rome, Paris, Florida, California and Croatia; the scan has no place.
        await page.GetByLabel("Choose photos").SetInputFilesAsync([
            Photo("gps-apple-iphone4.jpg"), Photo("gps-fujifilm-finepix-s2pro.jpg"), Photo("gps-samsung-galaxy-note5.jpg"),
            Photo("apple-iphone-x-orientation-6-gps.webp"), Photo("tiny-1x1-apple-iphone-xr.jpg"), Photo("no-exif-casio.jpg"),
        ]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(6, new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Link, new() { Name = "Map" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Map", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("5 photos with a place.")).ToBeVisibleAsync();
        var map = page.GetByRole(AriaRole.Region, new() { Name = "Map of your photos" });
        await Assertions.Expect(map.Locator(".map-cluster").First).ToBeVisibleAsync();
        // Every photo with a place is on the map once: in a cluster's count or as a marker of its own.
        var drawn = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('.map-cluster')].reduce((n, c) => n + Number(c.textContent), 0) + document.querySelectorAll('.map-photo, .map-dot').length");
        Assert.Equal(5, drawn);
        await Assertions.Expect(map.Locator(".map-photo img").First).ToBeVisibleAsync();
        await Assertions.Expect(map.GetByText("Test tiles")).ToBeVisibleAsync();
        await Assertions.Expect(map.Locator("img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        await WaitForImagesAsync(page);
        Assert.Contains(tiles.Requests, path => System.Text.RegularExpressions.Regex.IsMatch(path, @"^/\d+/\d+/\d+\.png$"));
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("map") });

        // A cluster zooms the map in until its photos part (they are hundreds of kilometres apart); a photo opens in the viewer.
        const string Drawing = "() => [...document.querySelectorAll('.leaflet-marker-icon')].map(m => m.className + ':' + m.textContent).sort().join('|')";
        var before = await page.EvaluateAsync<string>(Drawing);
        await map.Locator(".map-cluster").First.ClickAsync();
        await page.WaitForFunctionAsync($"previous => ({Drawing})() !== previous", before);
        await map.Locator(".map-photo").First.ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await Assertions.Expect(viewer).ToBeVisibleAsync();
        await Assertions.Expect(viewer.Locator(".viewer-stage img")).ToHaveJSPropertyAsync("complete", true);
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
