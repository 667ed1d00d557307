using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>The odd files of real life: broken metadata, hostile headers, formats in disguise.</summary>
public sealed class OddFileTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    public static TheoryData<string> OddFiles => [.. TestData.Manifest(TestData.OddFolder).Select(row => row["file"])];

    private static string Expected(string file) =>
        TestData.Manifest(TestData.OddFolder).Single(row => row["file"] == file)["expected"];

    [Theory]
    [MemberData(nameof(OddFiles))]
    public async Task An_odd_file_is_handled_as_its_manifest_expects_and_never_with_a_server_error(string file)
    {
        var expected = Expected(file);
        var owner = await shared.NewUserAsync();

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Odd(file));

        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"'{file}' caused {status}: {await response.Content.ReadAsStringAsync()}");
        var accepted = response.IsSuccessStatusCode;
        switch (expected)
        {
            case "accept":
                Assert.True(accepted, $"'{file}' must be accepted but got {status}: {await response.Content.ReadAsStringAsync()}");
                break;
            case "reject-clear-error":
                Assert.False(accepted, $"'{file}' must be rejected but got {status}.");
                break;
            default:
                Assert.Equal("accept-or-reject-clear-error", expected);
                break;
        }
        if (accepted)
        {
            var photo = Assert.Single((await PhotoTestKit.ReadUploadAsync(response, HttpStatusCode.Created)).Photos).Photo;
            var thumbnail = await PhotoTestKit.GetImageAsync(owner, photo.ThumbnailUrl, "image/webp");
            Assert.InRange(Math.Max(thumbnail.Width, thumbnail.Height), 1, 250);
            Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);
        }
        else
        {
            Assert.InRange(status, 400, 499);
            await PhotoTestKit.AssertRejectedAsync(response, response.StatusCode, file);
            await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
        }
    }

    /// <summary>A fresh user who uploaded the odd file, which must be accepted.</summary>
    private async Task<(HttpClient Owner, PhotoDetailsDto Photo)> UploadOddAsync(string file)
    {
        var owner = await shared.NewUserAsync();
        return (owner, await KeepsakeApp.UploadPhotoAsync(owner, TestData.Odd(file)));
    }

    [Theory]
    [InlineData("gps-out-of-range.jpg")]
    [InlineData("gps-null-island-orientation6.jpg")]
    [InlineData("gps-ifd-empty.jpg")]
    public async Task Impossible_or_empty_gps_gives_no_location(string file)
    {
        var (owner, uploaded) = await UploadOddAsync(file);

        var photo = await owner.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{uploaded.Id}");

        Assert.Null(photo!.Location);
    }

    [Fact]
    public async Task A_null_island_photo_is_still_rotated_by_its_orientation()
    {
        var (owner, photo) = await UploadOddAsync("gps-null-island-orientation6.jpg");

        var preview = await PhotoTestKit.GetImageAsync(owner, photo.PreviewUrl, "image/jpeg");

        Assert.Equal(6, photo.Orientation);
        Assert.True(photo.Height > photo.Width, $"Displayed {photo.Width}x{photo.Height} should be portrait.");
        Assert.True(preview.Height > preview.Width, $"Preview {preview.Width}x{preview.Height} should be portrait.");
    }

    [Theory]
    [InlineData("date-blank-spaces.jpg")]
    [InlineData("date-impossible-feb30.jpg")]
    [InlineData("date-zero-0000-progressive.jpg")]
    public async Task A_blank_impossible_or_zero_date_gives_no_taken_at(string file)
    {
        var (owner, photo) = await UploadOddAsync(file);

        var summary = Assert.Single(await PhotoTestKit.TimelineAsync(owner));

        Assert.Null(photo.TakenAt);
        Assert.Null(summary.TakenAt);
        Assert.InRange(summary.TimelineAt, photo.UploadedAt.AddSeconds(-1), photo.UploadedAt.AddSeconds(1));
    }

    [Fact]
    public async Task A_panorama_wider_than_webp_allows_gets_a_1440_wide_preview_and_a_thumbnail_without_an_empty_side()
    {
        var (owner, photo) = await UploadOddAsync("panorama-17280x480.jpg");

        var preview = await PhotoTestKit.GetImageAsync(owner, photo.PreviewUrl, "image/jpeg");
        var thumbnail = await PhotoTestKit.GetImageAsync(owner, photo.ThumbnailUrl, "image/webp");

        Assert.Equal((17280, 480), (photo.Width, photo.Height));
        Assert.Equal(1440, preview.Width);
        Assert.InRange(preview.Height, 1, 480);
        Assert.Equal(250, thumbnail.Width);
        Assert.True(thumbnail.Height >= 1, $"Thumbnail is {thumbnail.Width}x{thumbnail.Height}.");
    }

    [Fact]
    public async Task A_jpeg_named_png_is_stored_as_jpeg_under_its_own_name()
    {
        var (owner, photo) = await UploadOddAsync("jpeg-named.png");

        var original = await owner.GetAsync(photo.OriginalUrl);

        Assert.Equal("jpeg", photo.Format);
        Assert.Equal("jpeg-named.png", photo.FileName);
        Assert.Equal((100, 66), (photo.Width, photo.Height));
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("cmyk.jpg")]
    [InlineData("cmyk-icc-557kb-multi-segment.jpg")]
    public async Task A_cmyk_jpeg_gets_a_three_band_srgb_thumbnail_and_preview(string file)
    {
        var (owner, photo) = await UploadOddAsync(file);

        var thumbnail = await PhotoTestKit.GetImageAsync(owner, photo.ThumbnailUrl, "image/webp");
        var preview = await PhotoTestKit.GetImageAsync(owner, photo.PreviewUrl, "image/jpeg");

        Assert.Equal((3, "Srgb"), (thumbnail.Bands, thumbnail.Interpretation));
        Assert.Equal((3, "Srgb"), (preview.Bands, preview.Interpretation));
    }

    [Fact]
    public async Task A_greyscale_photo_with_orientation_6_is_displayed_portrait()
    {
        var (owner, photo) = await UploadOddAsync("grayscale-orientation6.jpg");

        var thumbnail = await PhotoTestKit.GetImageAsync(owner, photo.ThumbnailUrl, "image/webp");

        Assert.Equal((840, 700), (photo.Width, photo.Height));
        Assert.Equal(6, photo.Orientation);
        Assert.True(thumbnail.Width > thumbnail.Height, $"Thumbnail is {thumbnail.Width}x{thumbnail.Height}.");
    }

    [Theory]
    [InlineData("orientation-0-invalid.jpg")]
    [InlineData("orientation-9-invalid.jpg")]
    public async Task An_invalid_orientation_reads_as_1(string file)
    {
        var (_, photo) = await UploadOddAsync(file);

        Assert.Equal(1, photo.Orientation);
    }

    [Fact]
    public async Task A_16_bit_png_gets_8_bit_previews()
    {
        var (owner, photo) = await UploadOddAsync("png-16bit-rgb.png");

        var preview = await PhotoTestKit.GetImageAsync(owner, photo.PreviewUrl, "image/jpeg");

        Assert.Equal((480, 360), (photo.Width, photo.Height));
        Assert.Equal((480, 360, 3), (preview.Width, preview.Height, preview.Bands));
    }

    [Fact]
    public async Task A_heic_with_exif_at_the_end_of_the_file_keeps_its_date_and_location()
    {
        var (_, photo) = await UploadOddAsync("heic-exif-at-eof.heic");

        Assert.Equal("heic", photo.Format);
        Assert.StartsWith("2020-05-04T18:39:11", photo.TakenAt, StringComparison.Ordinal);
        Assert.NotNull(photo.Location);
    }

    [Fact]
    public async Task A_heic_named_jpg_is_sniffed_as_heic()
    {
        var (_, photo) = await UploadOddAsync("heic-named.jpg");

        Assert.Equal("heic", photo.Format);
        Assert.Equal((1440, 960), (photo.Width, photo.Height));
    }
}
