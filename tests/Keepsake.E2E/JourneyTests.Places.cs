using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>Places, as a person browses them.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task The_places_page_gathers_the_photos_by_country_and_town_and_opens_a_towns_photos()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Photo("gps-fujifilm-finepix-s2pro.jpg")]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Link, new() { Name = "Places" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Places", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync(["France 1 photo", "Italy 1 photo"]);
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("places") });

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Rome") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rome", Level = 1 })).ToBeVisibleAsync();
        var rome = page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(1);
        await rome.ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-place]")).ToHaveTextAsync("Rome, Lazio, Italy");
        Assert.Empty(errors);
    }
}
