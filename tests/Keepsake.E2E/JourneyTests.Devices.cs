using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>A device key, as a person gives one to a phone on the Account page.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task A_device_key_is_made_on_the_account_page_shown_once_with_a_QR_code_used_by_a_phone_and_revoked()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        await page.GotoAsync("/account");

        await page.GetByLabel("Device name").FillAsync("Anna's phone");
        await page.GetByLabel("What it may do").SelectOptionAsync("upload");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        var shown = page.GetByRole(AriaRole.Region, new() { Name = "New device key" });
        var qr = shown.GetByRole(AriaRole.Img, new() { NameRegex = new("^QR code") });
        await Assertions.Expect(qr).ToBeVisibleAsync();
        var box = await qr.BoundingBoxAsync();
        Assert.True(box is { Width: >= 200, Height: >= 200 }, $"The QR code is {box?.Width} x {box?.Height} px, too small to scan.");
        var key = await shown.GetByRole(AriaRole.Textbox, new() { Name = "Key for Anna's phone", Exact = true }).InputValueAsync();
        Assert.StartsWith("ks_", key, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Device keys" })).ToContainTextAsync("Anna's phone · Upload only");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("device-key"), FullPage = true });

        // The phone: the key alone, no cookie, no antiforgery token.
        using var phone = new HttpClient { BaseAddress = server.Address };
        phone.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var hash = new string('0', 64);
        using var body = new StringContent($$"""{"sha256":["{{hash}}"]}""", Encoding.UTF8, "application/json");
        var exists = await phone.PostAsync("/api/photos/exists", body);
        Assert.Equal(HttpStatusCode.OK, exists.StatusCode);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Device keys" })).ToContainTextAsync("last used");
        Assert.Equal(0, await page.GetByRole(AriaRole.Region, new() { Name = "New device key" }).CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Anna's phone" }).ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Confirm revoking Anna's phone" }).GetByRole(AriaRole.Button, new() { Name = "Yes, revoke" }).ClickAsync();

        await Assertions.Expect(page.GetByText("No device keys yet.")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/photos")).StatusCode);
        Assert.Empty(errors);
    }
}
