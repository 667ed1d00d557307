using System.Text.RegularExpressions;
using Keepsake.E2E.Infrastructure;
using Keepsake.Tests.Weather;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>What a person does with Keepsake in a real browser, against a real server process.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class JourneyTests(BrowserFixture browser)
{
    private const string Email = "owner@example.com";
    private const string Password = "correct horse battery";
    private const string LinkPassword = "open sesame";

    private static readonly string[] FivePhotos =
        ["gps-apple-iphone4.jpg", "gps-fujifilm-finepix-s2pro.jpg", "gps-samsung-galaxy-note5.jpg", "nikon-d1x.webp", "no-exif-casio.jpg"];

    [GeneratedRegex("^Photo (taken|added) ")]
    private static partial Regex PhotoButton();

    [Fact]
    public async Task The_owner_uploads_opens_shares_with_a_password_and_revokes_an_album()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var owner = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var hosts = new System.Collections.Concurrent.ConcurrentBag<string>();
        owner.Request += (_, request) => hosts.Add(new Uri(request.Url).Host);
        var errors = WatchForErrors(owner);
        var page = await owner.NewPageAsync();

        // First run: the first visitor creates the owner account, on a page served with a strict policy.
        var first = await page.GotoAsync("/");
        Assert.Contains("script-src 'self'", first!.Headers["content-security-policy"], StringComparison.Ordinal);
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create owner account" }).ClickAsync();

        // Five photos through the file picker; their thumbnails appear in the timeline.
        await page.GetByLabel("Choose photos").SetInputFilesAsync(FivePhotos.Select(Photo));
        var tiles = page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() });
        await Assertions.Expect(tiles).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        await WaitForImagesAsync(page);
        // Loaded by the URLs signed for the owner that the timeline hands out, not by the session-checked routes.
        var thumbnails = await page.Locator(".tile img").EvaluateAllAsync<string[]>("images => images.map(i => i.getAttribute('src'))");
        Assert.All(thumbnails, src => Assert.StartsWith("/api/files/", src, StringComparison.Ordinal));
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("timeline"), FullPage = true });

        // One photo opened: its camera and date as the file records them.
        await page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" }).ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-camera]")).ToContainTextAsync("iPhone 4");
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-taken]")).ToHaveTextAsync("13 Jan 2011, 14:33 · from the camera");
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("viewer") });
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToHaveCountAsync(0);

        // The open photo has its own address: a link opens it, Back closes it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?photo=[0-9a-f-]{36}$"));
        var photoAddress = page.Url;
        await page.GoBackAsync();
        await Assertions.Expect(viewer).ToHaveCountAsync(0);
        await page.GotoAsync(photoAddress);
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-camera]")).ToContainTextAsync("iPhone 4");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToHaveCountAsync(0);

        // An album with two of them: one chosen in the timeline, one in the album's own picker.
        await page.GetByRole(AriaRole.Link, new() { Name = "Albums" }).ClickAsync();
        await page.GetByLabel("New album").FillAsync("Rome and Paris");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create album" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rome and Paris" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Photos", Exact = true }).ClickAsync();
        await page.GetByLabel("Select photo taken 13 Jan 2011, 14:33").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to album" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Added 1 photo to Rome and Paris.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Albums" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Rome and Paris") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add photos" }).ClickAsync();
        var picker = page.GetByRole(AriaRole.Dialog, new() { Name = "Add photos to Rome and Paris" });
        await picker.GetByRole(AriaRole.Button, new() { Name = "Photo taken 24 Aug 2002, 13:59" }).ClickAsync();
        await picker.GetByRole(AriaRole.Button, new() { Name = "Add 1 photo" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Added 1 photo to the album.")).ToBeVisibleAsync();

        // A password-protected link to it.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2);
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("album"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        var share = page.GetByRole(AriaRole.Dialog, new() { Name = "Share album" });
        await share.GetByLabel("Link password").FillAsync(LinkPassword);
        await share.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        var link = await share.GetByLabel("New link").InputValueAsync();
        Assert.StartsWith(server.Address.ToString().TrimEnd('/') + "/s/", link, StringComparison.Ordinal);

        // A stranger with the link and the password sees exactly those two photos.
        await using (var stranger = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } }))
        {
            var strangerErrors = WatchForErrors(stranger);
            var visitor = await stranger.NewPageAsync();
            await visitor.GotoAsync(link);
            await visitor.GetByLabel("Password").FillAsync(LinkPassword);
            await visitor.GetByRole(AriaRole.Button, new() { Name = "Open album" }).ClickAsync();
            await Assertions.Expect(visitor.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2);
            await Assertions.Expect(visitor.GetByText("Rome and Paris")).ToBeVisibleAsync();
            await WaitForImagesAsync(visitor);
            await visitor.ScreenshotAsync(new() { Path = Artifacts.Screenshot("share"), FullPage = true });

            // Without "include location" the stranger's viewer shows no place and no camera.
            await visitor.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" }).ClickAsync();
            var shared = visitor.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
            await Assertions.Expect(shared.Locator("dd[aria-labelledby=meta-taken]")).ToHaveTextAsync("13 Jan 2011, 14:33 · from the camera");
            await Assertions.Expect(shared.Locator("dd[aria-labelledby=meta-camera]")).ToHaveCountAsync(0);
            await Assertions.Expect(shared.Locator("dd[aria-labelledby=meta-location]")).ToHaveCountAsync(0);
            Assert.Empty(strangerErrors);
        }

        // Revoked: the link now says it is not found.
        await share.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(share.GetByText("Revoked", new() { Exact = true })).ToBeVisibleAsync();
        await using (var later = await browser.Browser.NewContextAsync())
        {
            var visitor = await later.NewPageAsync();
            await visitor.GotoAsync(link);
            await Assertions.Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Link not found" })).ToBeVisibleAsync();
            Assert.Equal(0, await visitor.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() }).CountAsync());
        }

        // Nothing the app loaded came from anywhere but this server: no CDN fonts, scripts or images.
        Assert.All(hosts, host => Assert.Equal("127.0.0.1", host));
        // And the browser refused nothing and threw nothing (a Content-Security-Policy violation is a console error).
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_corrupt_file_among_good_ones_shows_its_error_while_the_others_upload()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString() });
        var page = await SetUpOwnerAsync(context);

        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Path.Combine(Artifacts.OddFolder, "truncated-40pct.jpg"), Photo("nikon-d1x.webp")]);

        var failed = page.GetByRole(AriaRole.Listitem, new() { Name = "truncated-40pct.jpg" });
        await Assertions.Expect(failed.GetByRole(AriaRole.Alert)).ToContainTextAsync("truncated-40pct.jpg", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("upload-with-error"), FullPage = true });
    }

    [Fact]
    public async Task On_a_phone_the_timeline_fits_without_horizontal_scrolling()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = server.Address.ToString(),
            ViewportSize = new() { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await SetUpOwnerAsync(context);
        await page.GetByLabel("Choose photos").SetInputFilesAsync(FivePhotos.Select(Photo));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        await WaitForImagesAsync(page);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");

        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("timeline-phone"), FullPage = true });
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a 360px phone.");
    }

    [Fact]
    public async Task With_weather_on_the_viewer_and_the_day_heading_show_the_weather_of_the_photo()
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        await using var server = await KeepsakeProcess.StartAsync(new Dictionary<string, string>
        {
            ["Weather:Enabled"] = "true",
            ["Weather:BaseUrl"] = provider.BaseUrl,
            ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Weather:PollInterval"] = "00:00:00.100",
        });
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await SetUpOwnerAsync(context);

        // Rome, 14:33 on 13 January 2011 with no offset recorded: 13:00 UTC by the sun's time, 16.5 °C and rain in the fake.
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Photo("no-exif-casio.jpg")]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await WaitForStoredWeatherAsync(context);
        await page.ReloadAsync();

        var rome = page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("13 January 2011") });
        await Assertions.Expect(rome.GetByTitle(new Regex("^Weather"))).ToHaveTextAsync("16.5 °C, Moderate rain");
        await rome.GetByRole(AriaRole.Button, new() { Name = "Photo taken 13 Jan 2011, 14:33" }).ClickAsync();
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        var weather = viewer.Locator("dd[aria-labelledby=meta-weather]");
        await Assertions.Expect(weather).ToContainTextAsync("16.5 °C, Moderate rain");
        await Assertions.Expect(weather).ToContainTextAsync("1.5 mm precipitation · 53 % cloud · wind 8.3 km/h");
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("viewer-weather") });

        // The photo without a place has no weather row at all.
        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-camera]").Filter(new() { HasText = "iPhone 4" })).ToHaveCountAsync(0);
        await Assertions.Expect(weather).ToHaveCountAsync(0);
    }

    /// <summary>The worker fetches in the background: asks the API, as the signed-in owner, until every photo with a place has its weather.</summary>
    private static async Task WaitForStoredWeatherAsync(IBrowserContext context)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var timeline = await (await context.APIRequest.GetAsync("/api/photos")).JsonAsync();
            var ids = timeline!.Value.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
            var weather = await (await context.APIRequest.GetAsync("/api/weather/photos?" + string.Join('&', ids.Select(id => "id=" + id)))).JsonAsync();
            if (weather!.Value.GetArrayLength() == 1)
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the photo's weather was not stored within 30 s");
    }

    /// <summary>Console errors and uncaught exceptions of every page of <paramref name="context"/>; a failed request
    /// (a 401 before sign-in, a 404 the app answers) is the app's business and not counted.</summary>
    private static System.Collections.Concurrent.ConcurrentQueue<string> WatchForErrors(IBrowserContext context)
    {
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Enqueue(message.Text);
            }
        };
        context.Page += (_, page) => page.PageError += (_, error) => errors.Enqueue(error);
        return errors;
    }

    private static async Task<IPage> SetUpOwnerAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create owner account" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Choose photos")).ToBeAttachedAsync();
        return page;
    }

    /// <summary>Screenshots are looked at: every image in view has to have finished loading first.</summary>
    private static async Task WaitForImagesAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {ImagesInView}.every(i => i.complete && i.naturalWidth > 0)");
        }
        catch (TimeoutException)
        {
            var pending = await page.EvaluateAsync<string[]>(
                $"() => {ImagesInView}.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => `${{i.currentSrc || i.src}} (complete: ${{i.complete}}, loading: ${{i.loading}})`)");
            throw new TimeoutException($"Images in view that did not load: {string.Join("; ", pending)}");
        }
    }

    /// <summary>The images that show in the window: laid out, and not wholly above, below or beside it.</summary>
    private const string ImagesInView = """
        [...document.images].filter(i => { const r = i.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; })
        """;

    private static string Photo(string name) => Path.Combine(Artifacts.PhotosFolder, name);
}
