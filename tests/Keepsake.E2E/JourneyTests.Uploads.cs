using Keepsake.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>Uploads from the browser over tus, when the network lets them down.</summary>
public sealed partial class JourneyTests
{
    [Fact]
    public async Task A_big_upload_whose_connection_drops_continues_from_what_the_server_kept()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await SetUpOwnerAsync(context);
        var patches = 0;
        // The second 8 MB chunk's connection drops, as a phone's does when it changes networks.
        await page.RouteAsync("**/api/uploads/*", async route =>
        {
            if (route.Request.Method == "PATCH" && Interlocked.Increment(ref patches) == 2)
            {
                await route.AbortAsync("connectionreset");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var resumedFrom = new TaskCompletionSource<string?>();
        page.Response += (_, response) =>
        {
            if (response.Request.Method == "HEAD" && response.Url.Contains("/api/uploads/", StringComparison.Ordinal))
            {
                resumedFrom.TrySetResult(response.Headers.GetValueOrDefault("upload-offset"));
            }
        };
        var file = Path.Combine(Path.GetTempPath(), $"keepsake-big-{Guid.NewGuid():N}.jpg");
        try
        {
            // A real photo followed by 20 MB of other bytes (decoders stop at the image's end): three chunks.
            var bytes = new byte[20_000_000];
            new Random(25).NextBytes(bytes);
            File.ReadAllBytes(Photo("large-4608x3456-kodak-pixpro.jpg")).CopyTo(bytes, 0);
            await File.WriteAllBytesAsync(file, bytes);

            await page.GetByLabel("Choose photos").SetInputFilesAsync([file]);

            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            Assert.Equal((8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), await resumedFrom.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(patches >= 4, $"{patches} PATCH requests: three chunks and the one that dropped");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
