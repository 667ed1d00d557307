using System.Net;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Photos;

/// <summary>
/// Grids on 2× screens: each photo has, beside its 250 px thumbnail, a large one 400 px high (at most four times as wide, and no larger than the preview),
/// listed with their sizes for a srcset. Photos stored before there was one get it from the back-fill; until then a grid
/// gets the thumbnail alone, and fsck neither asks for the large one nor takes it for an orphan.
/// </summary>
public sealed class LargeThumbnailTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task An_upload_lists_its_thumbnail_and_a_large_one_400_pixels_high_with_their_sizes()
    {
        var owner = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

        var summary = Assert.Single(await PhotoTestKit.TimelineAsync(owner));

        Assert.Equal((1296, 968), (summary.Width, summary.Height));
        Assert.Equal([(250, 187), (536, 400)], summary.Thumbnails.Select(t => (t.Width, t.Height)));
        Assert.Equal(summary.ThumbnailUrl, summary.Thumbnails[0].Url);
        foreach (var thumbnail in summary.Thumbnails)
        {
            var image = await PhotoTestKit.GetImageAsync(owner, thumbnail.Url, "image/webp");
            Assert.Equal((thumbnail.Width, thumbnail.Height), (image.Width, image.Height));
        }
    }

    [Fact]
    public async Task A_small_photo_is_not_enlarged_and_a_panorama_is_at_most_four_times_as_wide_as_high()
    {
        var owner = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Odd("panorama-17280x480.jpg"));

        var photos = await PhotoTestKit.TimelineAsync(owner);
        var small = Assert.Single(photos, p => p.Width == 320).Thumbnails[^1];
        var panorama = Assert.Single(photos, p => p.Width == 17280).Thumbnails[^1];

        Assert.Equal((320, 240), (small.Width, small.Height));
        var smallImage = await PhotoTestKit.GetImageAsync(owner, small.Url, "image/webp");
        Assert.Equal((320, 240), (smallImage.Width, smallImage.Height));
        var wide = await PhotoTestKit.GetImageAsync(owner, panorama.Url, "image/webp");
        // Made from the preview, which is 1440 wide: narrower than four times 400.
        Assert.Equal((1440, 40), (panorama.Width, panorama.Height));
        Assert.Equal(1440, wide.Width);
        Assert.InRange(wide.Height, 39, 41);
    }

    [Fact]
    public async Task A_photo_stored_before_large_thumbnails_offers_the_thumbnail_alone_until_the_backfill_makes_its_large_one()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        await AsStoredBeforeLargeThumbnailsAsync(photo.Id);

        var before = Assert.Single(await PhotoTestKit.TimelineAsync(owner));
        var asked = await owner.GetAsync($"/api/photos/{photo.Id}/large-thumbnail");
        var made = await BackfillAsync();
        var after = Assert.Single(await PhotoTestKit.TimelineAsync(owner));

        Assert.Single(before.Thumbnails);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Equal(await (await owner.GetAsync($"/api/photos/{photo.Id}/thumbnail")).Content.ReadAsByteArrayAsync(), await asked.Content.ReadAsByteArrayAsync());
        Assert.True(made >= 1, $"made {made}");
        Assert.Equal(400, (await PhotoTestKit.GetImageAsync(owner, after.Thumbnails[^1].Url, "image/webp")).Height);
        Assert.Equal(400, (await PhotoTestKit.GetImageAsync(owner, $"/api/photos/{photo.Id}/large-thumbnail", "image/webp")).Height);
        Assert.Equal(0, await BackfillAsync());
    }

    [Fact]
    public async Task The_backfill_passes_over_a_photo_whose_original_is_gone_and_writes_nothing_for_it()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        await AsStoredBeforeLargeThumbnailsAsync(photo.Id);
        var original = Assert.Single(await shared.App.StoredFilesOfAsync(owner), f => f.StartsWith(PhotoBlobs.OriginalsPrefix, StringComparison.Ordinal));
        await shared.App.DeleteStoredFileAsync(original);

        Assert.Equal(0, await BackfillAsync());

        Assert.Single(Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Thumbnails);
        Assert.DoesNotContain(await shared.App.StoredFilesOfAsync(owner), f => f.EndsWith(".large.webp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fsck_asks_no_large_thumbnail_of_a_photo_without_one_and_keeps_the_one_written_before_its_mark()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().Photos.Where(p => p.Id == photo.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.HasLargeThumbnail, false));
        }
        var withFile = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        await app.DeleteStoredFileAsync(Assert.Single(app.StoredFiles(), f => f.EndsWith(".large.webp", StringComparison.Ordinal)));
        var withoutFile = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");

        Assert.True(withFile.ExitCode == 0, withFile.Output + withFile.Error);
        Assert.StartsWith("clean: 0 missing, 0 orphan", withFile.Lines[^1], StringComparison.Ordinal);
        Assert.True(withoutFile.ExitCode == 0, withoutFile.Output + withoutFile.Error);
        Assert.StartsWith("clean: 0 missing, 0 orphan", withoutFile.Lines[^1], StringComparison.Ordinal);
    }

    /// <summary>The photo as an earlier release stored it: no large thumbnail and no mark.</summary>
    private async Task AsStoredBeforeLargeThumbnailsAsync(Guid photoId)
    {
        await using var scope = shared.App.Services.CreateAsyncScope();
        var photo = await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().Photos.SingleAsync(p => p.Id == photoId);
        await shared.App.DeleteStoredFileAsync(PhotoBlobs.LargeThumbnail(photo.OwnerId, photo.Id));
        await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().Photos.Where(p => p.Id == photoId)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.HasLargeThumbnail, false));
    }

    private async Task<int> BackfillAsync()
    {
        await using var scope = shared.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LargeThumbnailBackfill>().MakeAllAsync(LargeThumbnailBackfill.DefaultBatchSize, CancellationToken.None);
    }
}
