using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>Search, as a person uses it from the top bar.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task Search_finds_a_photo_by_its_place_and_by_its_camera_and_by_the_description_written_in_the_viewer()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        await page.GetByLabel("Choose photos").SetInputFilesAsync(
            [Photo("gps-apple-iphone4.jpg"), Photo("gps-fujifilm-finepix-s2pro.jpg"), Photo("gps-samsung-galaxy-note5.jpg")]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        var box = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search photos" });
        var tiles = page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() });

        // By place: the Paris photo only.
        await box.FillAsync("paris");
        await box.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Search: paris", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(tiles).ToHaveCountAsync(1);
        await Assertions.Expect(tiles).ToHaveAttributeAsync("aria-label", "Photo taken 24 Aug 2002, 13:59");
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("search") });

        // By camera: the iPhone photo, opened in the viewer with its place; a description written there is found next.
        await box.FillAsync("iphone");
        await box.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Search: iphone", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(tiles).ToHaveCountAsync(1);
        await tiles.ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-place]")).ToHaveTextAsync("Rome, Lazio, Italy");
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Add a description" }).ClickAsync();
        await viewer.GetByLabel("Description").FillAsync("Gelato near the Colosseum");
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Save description" }).ClickAsync();
        await Assertions.Expect(viewer.GetByText("Gelato near the Colosseum")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        // Closing goes back in the history (the open photo has its own address): wait for it before searching again.
        await Assertions.Expect(viewer).ToHaveCountAsync(0);
        await page.WaitForURLAsync(url => !url.Contains("photo=", StringComparison.Ordinal));

        await box.FillAsync("colosseum 2011");
        await box.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Search: colosseum 2011", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(tiles).ToHaveAttributeAsync("aria-label", "Photo taken 13 Jan 2011, 14:33");

        await box.FillAsync("zanzibar");
        await box.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("No photos match 'zanzibar'.")).ToBeVisibleAsync();
        await Assertions.Expect(tiles).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
