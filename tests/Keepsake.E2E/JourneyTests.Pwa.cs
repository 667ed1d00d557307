using System.Buffers.Binary;
using System.Text.Json;
using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>The web app as an installed app: its manifest, its service worker, the app shell and thumbnails offline.</summary>
public sealed partial class JourneyTests
{
    private const string ThumbnailsInCache = "async () => (await (await caches.open('keepsake-thumbnails')).keys()).length";

    [Fact]
    public async Task The_app_can_be_installed_keeps_the_thumbnails_it_showed_and_opens_offline_saying_so()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);

        // The manifest an install needs: a name, the start page, a window of its own and icons of the sizes they say.
        var manifestUrl = await page.Locator("link[rel=manifest]").GetAttributeAsync("href");
        var manifestResponse = await context.APIRequest.GetAsync(manifestUrl!);
        Assert.Equal("application/manifest+json", manifestResponse.Headers["content-type"]);
        using var manifest = JsonDocument.Parse(await manifestResponse.TextAsync());
        var root = manifest.RootElement;
        Assert.Equal("Keepsake", root.GetProperty("name").GetString());
        Assert.Equal("/", root.GetProperty("start_url").GetString());
        Assert.Equal("standalone", root.GetProperty("display").GetString());
        var icons = root.GetProperty("icons").EnumerateArray().ToList();
        Assert.Contains(icons, icon => icon.TryGetProperty("purpose", out var purpose) && purpose.GetString() == "maskable");
        foreach (var icon in icons)
        {
            var png = await (await context.APIRequest.GetAsync(icon.GetProperty("src").GetString()!)).BodyAsync();
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.Equal(icon.GetProperty("sizes").GetString(), $"{width}x{height}");
        }
        Assert.Contains(new[] { 192, 512 }, size => icons.Any(icon => icon.GetProperty("sizes").GetString() == $"{size}x{size}"));

        // The service worker takes charge of the page, and keeps the thumbnails the timeline showed.
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Photo("nikon-d1x.webp")]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await WaitForImagesAsync(page);
        Assert.Equal(2, await page.EvaluateAsync<int>(ThumbnailsInCache));

        // Offline, the app still opens and says why it cannot show the library; back online, it carries on.
        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This device is offline");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("offline") });
        await context.SetOfflineAsync(false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2);

        // Signing out empties the thumbnail cache, so the next person on this browser finds none of them.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Account menu for {Email}" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>(ThumbnailsInCache));
        Assert.Empty(errors);
    }
}
