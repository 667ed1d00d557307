using System.Text.RegularExpressions;
using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>The library's marks and the trash, as a person uses them.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task A_deleted_photo_waits_in_the_trash_and_comes_back_when_restored()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Photo("gps-fujifilm-finepix-s2pro.jpg")]);
        var rome = page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        // Deleted from the viewer: it leaves the timeline at once.
        await rome.ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Delete photo" }).ClickAsync();
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Yes, delete photo" }).ClickAsync();
        await Assertions.Expect(rome).ToHaveCountAsync(0);
        // The viewer moves on to the photo left before it is closed.
        await Assertions.Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "gps-fujifilm-finepix-s2pro.jpg" })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?photo=[0-9a-f-]{36}$"));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToHaveCountAsync(0);

        // In the trash, from where it is restored to its place in the timeline.
        await page.GetByRole(AriaRole.Link, new() { Name = "Trash" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Trash", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(1);
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("trash") });
        await page.GetByLabel("Select photo taken 13 Jan 2011, 14:33").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Restored 1 photo.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("The trash is empty.", new() { Exact = true })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Photos", Exact = true }).ClickAsync();
        await Assertions.Expect(rome).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_photo_made_a_favourite_in_the_viewer_is_among_the_favourites()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await SetUpOwnerAsync(context);
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Photo("gps-fujifilm-finepix-s2pro.jpg")]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 24 Aug 2002, 13:59" }).ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Add to favourites" }).ClickAsync();
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Favourite", Pressed = true })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 24 Aug 2002, 13:59, favourite" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Favourites" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Favourites", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 24 Aug 2002, 13:59, favourite" })).ToBeVisibleAsync();
    }
}
