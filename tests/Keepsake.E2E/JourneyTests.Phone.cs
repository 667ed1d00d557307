using System.Text.RegularExpressions;
using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>The web app as a family uses it on a phone: fingers, not a mouse.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task On_a_phone_photos_are_swiped_zoomed_and_closed_by_touch_a_long_press_selects_and_the_avatar_menu_signs_out()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = server.Address.ToString(),
            ViewportSize = new() { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        var touch = await context.NewCDPSessionAsync(page);
        // The undated portrait comes first (the "Unknown date" group of today), then a 4608 px photo of 2014, then Rome 2011.
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("orientation-1-portrait.jpg"), Photo("large-4608x3456-kodak-pixpro.jpg"), Photo("gps-apple-iphone4.jpg")]);
        var tiles = page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() });
        await Assertions.Expect(tiles).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await WaitForImagesAsync(page);

        // The selection circles stay out of sight until a long press starts selecting.
        Assert.Equal("0", await page.Locator(".tile-check-box").First.EvaluateAsync<string>("box => getComputedStyle(box).opacity"));

        // A tap opens the portrait photo full screen, whole between the toolbar and the bottom of the screen.
        await tiles.First.TapAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await Assertions.Expect(viewer.GetByText("1 of 3")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?photo=[0-9a-f-]{36}$"));
        var photo = viewer.Locator(".viewer-stage img");
        await WaitForImagesAsync(page);
        var fits = await page.EvaluateAsync<bool>(@"() => {
            const image = document.querySelector('.viewer-stage img').getBoundingClientRect();
            const toolbar = document.querySelector('.viewer-toolbar').getBoundingClientRect();
            return image.top >= toolbar.bottom && image.bottom <= innerHeight && image.left >= 0 && image.right <= innerWidth;
        }");
        Assert.True(fits, "The portrait photo runs under the toolbar or off the screen.");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("viewer-phone") });

        // A swipe left moves to the next photo, and the address follows.
        var firstAddress = page.Url;
        await SwipeAsync(touch, (300, 400), (60, 410));
        await Assertions.Expect(viewer.GetByText("2 of 3")).ToBeVisibleAsync();
        Assert.NotEqual(firstAddress, page.Url);

        // A double tap zooms to 2.5x and, the preview being too small for that, loads the original; another zooms out.
        await WaitForImagesAsync(page);
        var preview = await photo.GetAttributeAsync("src");
        await DoubleTapAsync(touch, (195, 420));
        await Assertions.Expect(viewer.Locator(".viewer-stage[data-zoom='2.5']")).ToHaveCountAsync(1);
        await Assertions.Expect(photo).Not.ToHaveAttributeAsync("src", preview!);
        Assert.Equal(4608, await photo.EvaluateAsync<int>("image => image.naturalWidth"));
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("viewer-phone-zoomed") });
        await DoubleTapAsync(touch, (195, 420));
        await Assertions.Expect(viewer.Locator(".viewer-stage[data-zoom='1']")).ToHaveCountAsync(1);

        // The details are asked for with a swipe up and hidden with their button.
        await SwipeAsync(touch, (195, 600), (195, 300));
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-size]")).ToContainTextAsync("4608 × 3456");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("viewer-phone-details") });
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Photo details" }).TapAsync();
        await Assertions.Expect(viewer.GetByRole(AriaRole.Complementary, new() { Name = "Photo details" })).ToHaveCountAsync(0);

        // A swipe down closes the viewer, taking the photo out of the address.
        await SwipeAsync(touch, (195, 300), (200, 650));
        await Assertions.Expect(viewer).ToHaveCountAsync(0);
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex(@"photo="));

        // A long press selects a photo and starts selecting: the circles show, and a tap now selects instead of opening.
        var rome = page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" });
        await LongPressAsync(touch, rome);
        await Assertions.Expect(page.GetByLabel("Select photo taken 13 Jan 2011, 14:33")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 5 Aug 2014, 01:45" }).TapAsync();
        await Assertions.Expect(page.GetByLabel("Select photo taken 5 Aug 2014, 01:45")).ToBeCheckedAsync();
        await Assertions.Expect(viewer).ToHaveCountAsync(0);
        Assert.NotEqual("0", await page.Locator(".tile-check-box").First.EvaluateAsync<string>("box => getComputedStyle(box).opacity"));
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("timeline-phone-selecting") });

        // The avatar menu holds the account and signs out.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Account menu for {Email}" }).TapAsync();
        var menu = page.GetByRole(AriaRole.Menu, new() { Name = $"Signed in as {Email}" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem)).ToHaveTextAsync(["Account", "Admin", "Sign out"]);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("account-menu-phone") });
        await menu.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).TapAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();
        Assert.Equal(401, (await context.APIRequest.GetAsync("/api/auth/me")).Status);
        Assert.Empty(errors);
    }

    /// <summary>One finger down at <paramref name="from"/>, moved in steps to <paramref name="to"/>, held there a moment and
    /// lifted: Playwright's own touch screen only taps, so the touches go through the DevTools protocol, as a phone's would.
    /// Lifted at speed, the browser would take it for a fling and swallow the next tap, the one that stops a fling.</summary>
    private static async Task SwipeAsync(ICDPSession touch, (double X, double Y) from, (double X, double Y) to)
    {
        await TouchAsync(touch, "touchStart", from);
        const int Steps = 8;
        for (var step = 1; step <= Steps; step++)
        {
            var part = step / (double)Steps;
            await TouchAsync(touch, "touchMove", (from.X + ((to.X - from.X) * part), from.Y + ((to.Y - from.Y) * part)));
        }
        await Task.Delay(150);
        await TouchAsync(touch, "touchMove", to);
        await TouchAsync(touch, "touchEnd");
    }

    /// <summary>Two taps 150 ms apart by the touches' own time stamps, so a busy machine cannot pull them apart.</summary>
    private static async Task DoubleTapAsync(ICDPSession touch, (double X, double Y) at)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await TouchAsync(touch, "touchStart", now, at);
        await TouchAsync(touch, "touchEnd", now + 0.05);
        await TouchAsync(touch, "touchStart", now + 0.15, at);
        await TouchAsync(touch, "touchEnd", now + 0.2);
    }

    private static async Task LongPressAsync(ICDPSession touch, ILocator target)
    {
        await target.ScrollIntoViewIfNeededAsync();
        var box = await target.BoundingBoxAsync() ?? throw new InvalidOperationException("the photo to press is not on the screen");
        var middle = (box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await TouchAsync(touch, "touchStart", middle);
        await Task.Delay(800);
        await TouchAsync(touch, "touchEnd");
    }

    private static Task TouchAsync(ICDPSession touch, string type, params (double X, double Y)[] points) =>
        TouchAsync(touch, type, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, points);

    /// <summary>A touch event at <paramref name="timestamp"/> (seconds since 1970, as the protocol counts them).</summary>
    private static Task TouchAsync(ICDPSession touch, string type, double timestamp, params (double X, double Y)[] points) =>
        touch.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = points.Select(p => new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y }).ToArray(),
            ["timestamp"] = timestamp,
        });
}
