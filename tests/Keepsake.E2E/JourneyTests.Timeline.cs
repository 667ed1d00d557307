using System.Globalization;
using System.Text.RegularExpressions;
using Keepsake.E2E.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Keepsake.E2E;

/// <summary>A long timeline: thousands of photos scrolled and scrubbed without the page holding them all.</summary>
public sealed partial class JourneyTests
{
    private const int SeededPhotos = 5000;

    /// <summary>The newest seeded photo; they come a dozen a day, every ninth day, so 5 000 reach back about ten years.</summary>
    private static readonly DateTime NewestSeeded = new(2025, 6, 30, 20, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_timeline_of_five_thousand_photos_keeps_few_tiles_in_the_page_and_the_scrubber_jumps_to_an_old_month()
    {
        await using var server = await KeepsakeProcess.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = WatchForErrors(context);
        var page = await SetUpOwnerAsync(context);
        await page.GetByLabel("Choose photos").SetInputFilesAsync([Photo("gps-apple-iphone4.jpg"), Photo("nikon-d1x.webp"), Photo("gps-samsung-galaxy-note5.jpg")]);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = PhotoButton() })).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await SeedPhotosAsync(server, SeededPhotos);
        var oldest = await OldestAsync(server);

        await page.ReloadAsync();
        var tiles = page.Locator(".tile");
        await Assertions.Expect(tiles.First).ToBeVisibleAsync();
        await WaitForImagesAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("timeline-justified") });

        // Scrolled down a long way in steps: the page holds the rows near the window, never the 5 000.
        var most = 0;
        for (var step = 0; step < 12; step++)
        {
            await page.Mouse.WheelAsync(0, 2500);
            await page.WaitForTimeoutAsync(150);
            most = Math.Max(most, await tiles.CountAsync());
        }
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("timeline-scrolled") });
        Assert.InRange(most, 1, 299);
        Console.WriteLine($"Most tiles in the page while scrolling {SeededPhotos + 3} photos: {most}");

        // The scrubber, from the keyboard, to the oldest month: its heading and its photos appear.
        var scrubber = page.GetByRole(AriaRole.Slider, new() { Name = "Go to a month" });
        await scrubber.FocusAsync();
        await page.Keyboard.PressAsync("End");
        var oldMonth = oldest.TakenAt.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        await Assertions.Expect(scrubber).ToHaveAttributeAsync("aria-valuetext", oldMonth);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = oldMonth, Level = 2 })).ToBeInViewportAsync();
        var inOldMonth = new Regex($"^Photo taken \\d+ {oldest.TakenAt.ToString("MMM yyyy", CultureInfo.InvariantCulture)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = inOldMonth }).First).ToBeInViewportAsync();

        // With the mouse, half-way down the bar: the month it names is the one shown.
        var bar = (await scrubber.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(bar.X + bar.Width / 2, bar.Y + bar.Height / 2);
        var middle = await scrubber.GetAttributeAsync("aria-valuetext");
        Assert.NotEqual(oldMonth, middle);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = middle!, Level = 2 })).ToBeInViewportAsync();
        Assert.InRange(await tiles.CountAsync(), 1, 299);

        // A link to the oldest photo, in a month the page has not loaded: the viewer opens on it, and closing it shows its month.
        await page.GotoAsync($"/?photo={oldest.Id}");
        var viewer = page.GetByRole(AriaRole.Dialog, new() { Name = "Photo viewer" });
        await Assertions.Expect(viewer.Locator("dd[aria-labelledby=meta-taken]"))
            .ToContainTextAsync(oldest.TakenAt.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(viewer).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = oldMonth, Level = 2 })).ToBeInViewportAsync();
        Assert.Empty(errors);
    }

    /// <summary>
    /// Writes <paramref name="count"/> photos of the owner straight into the server's database, each with a copy of the
    /// thumbnail of one of the uploaded photos (and its shape).
    /// </summary>
    private static async Task SeedPhotosAsync(KeepsakeProcess server, int count)
    {
        await using var db = new SqliteConnection($"Data Source={server.DatabasePath}");
        await db.OpenAsync();
        var sources = new List<(string Owner, string Id, int Width, int Height)>();
        await using (var uploaded = db.CreateCommand())
        {
            uploaded.CommandText = "SELECT OwnerId, Id, Width, Height FROM photos";
            await using var reader = await uploaded.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                sources.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
            }
        }
        var ownerId = sources[0].Owner;
        var thumbnails = Path.Combine(server.DataPath, "thumbnails", Guid.Parse(ownerId).ToString("N"));
        await using var transaction = (SqliteTransaction)await db.BeginTransactionAsync();
        await using var insert = db.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO photos (Id, OwnerId, OriginalFileName, Format, SizeBytes, Sha256, Width, Height, Orientation, UploadedAt, TakenAt, TimelineAt)
            VALUES ($id, $owner, $name, 'jpeg', 1000000, $sha, $width, $height, 1, '2025-07-01 00:00:00', $at, $at)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.AddWithValue("$owner", ownerId);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var sha = insert.Parameters.Add("$sha", SqliteType.Text);
        var width = insert.Parameters.Add("$width", SqliteType.Integer);
        var height = insert.Parameters.Add("$height", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            var photoId = Guid.CreateVersion7();
            var source = sources[(i * 7 / 3) % sources.Count];
            var taken = NewestSeeded.AddDays(-9 * (i / 12)).AddMinutes(-40 * (i % 12));
            id.Value = photoId.ToString().ToUpperInvariant();
            name.Value = $"seed-{i:D5}.jpg";
            sha.Value = i.ToString("x64", CultureInfo.InvariantCulture);
            (width.Value, height.Value) = (source.Width, source.Height);
            at.Value = taken.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await insert.ExecuteNonQueryAsync();
            File.Copy(Path.Combine(thumbnails, Guid.Parse(source.Id).ToString("N") + ".webp"), Path.Combine(thumbnails, photoId.ToString("N") + ".webp"));
        }
        await transaction.CommitAsync();
    }

    /// <summary>The oldest photo of the timeline and when it was taken: its month is the timeline's last.</summary>
    private static async Task<(Guid Id, DateTime TakenAt)> OldestAsync(KeepsakeProcess server)
    {
        await using var db = new SqliteConnection($"Data Source={server.DatabasePath}");
        await db.OpenAsync();
        await using var oldest = db.CreateCommand();
        oldest.CommandText = "SELECT Id, TakenAt FROM photos ORDER BY TimelineAt LIMIT 1";
        await using var reader = await oldest.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Guid.Parse(reader.GetString(0)), DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture));
    }
}
