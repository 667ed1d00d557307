using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>Every photo of the shared set is read the way its manifest says, and its files are served.</summary>
public sealed class PhotoMetadataTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private const int ThumbnailSize = 250;
    private const int PreviewSize = 1440;

    public static TheoryData<string> Photos => [.. TestData.Manifest(TestData.PhotosFolder).Select(row => row["file"])];

    private static IReadOnlyDictionary<string, string> Row(string file) =>
        TestData.Manifest(TestData.PhotosFolder).Single(row => row["file"] == file);

    private static int Orientation(IReadOnlyDictionary<string, string> row) =>
        row["orientation"].Length == 0 ? 1 : int.Parse(row["orientation"], CultureInfo.InvariantCulture);

    private static (int Width, int Height) DisplayedSize(IReadOnlyDictionary<string, string> row)
    {
        var (width, height) = (int.Parse(row["width"], CultureInfo.InvariantCulture), int.Parse(row["height"], CultureInfo.InvariantCulture));
        return Orientation(row) >= 5 ? (height, width) : (width, height);
    }

    /// <summary>
    /// Capture times the manifest's EXIF columns do not give but the file does, checked with exiftool: a date from XMP, and
    /// offsets from the GPS time of the same moment (each matches the time zone of the photo's place on its day).
    /// </summary>
    private static readonly Dictionary<string, string> TakenAtBeyondExif = new()
    {
        ["alpha.png"] = "2009-06-16T14:57:56+00:00", // XMP xmp:CreateDate 2009:06:16 14:57:56Z
        ["apple-iphone-x-orientation-6-gps.webp"] = "2018-08-27T12:20:23-07:00", // GPS 19:20:20 UTC; Sunnyvale in summer
        ["gps-samsung-galaxy-note5.jpg"] = "2018-04-28T21:23:12-04:00", // GPS 01:22:57 UTC the next day; Florida in spring
    };

    private static string? ExpectedTakenAt(IReadOnlyDictionary<string, string> row)
    {
        if (TakenAtBeyondExif.TryGetValue(row["file"], out var beyond))
        {
            return beyond;
        }
        if (row["taken_at"].Length == 0)
        {
            return null;
        }
        var local = DateTime.ParseExact(row["taken_at"], "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture)
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return local + row["offset"];
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task Upload_reads_format_displayed_size_taken_at_and_location_as_the_manifest_says(string file)
    {
        var row = Row(file);
        var owner = await shared.NewUserAsync();

        var uploaded = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(file));
        var photo = await owner.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{uploaded.Id}");

        Assert.NotNull(photo);
        Assert.Equal(uploaded, photo);
        Assert.Equal(file, photo.FileName);
        Assert.Equal(row["format"], photo.Format);
        Assert.Equal(new FileInfo(TestData.Photo(file)).Length, photo.SizeBytes);
        Assert.Equal(DisplayedSize(row), (photo.Width, photo.Height));
        Assert.Equal(Orientation(row), photo.Orientation);
        Assert.Equal(ExpectedTakenAt(row), photo.TakenAt);
        Assert.Equal(file == "alpha.png" ? "xmp" : photo.TakenAt is null ? null : "exif", photo.TakenAtSource);
        if (row["has_gps"] == "true")
        {
            Assert.NotNull(photo.Location);
            Assert.Equal(double.Parse(row["gps_lat"], CultureInfo.InvariantCulture), photo.Location.Latitude, 1e-4);
            Assert.Equal(double.Parse(row["gps_lon"], CultureInfo.InvariantCulture), photo.Location.Longitude, 1e-4);
        }
        else
        {
            Assert.Null(photo.Location);
        }
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task Thumbnail_and_preview_are_served_downsized_and_oriented_as_displayed(string file)
    {
        var (width, height) = DisplayedSize(Row(file));
        var owner = await shared.NewUserAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(file));
        var thumbnail = await PhotoTestKit.GetImageAsync(owner, photo.ThumbnailUrl, "image/webp");
        var preview = await PhotoTestKit.GetImageAsync(owner, photo.PreviewUrl, "image/jpeg");

        Assert.StartsWith("webpload", thumbnail.Loader, StringComparison.Ordinal);
        Assert.StartsWith("jpegload", preview.Loader, StringComparison.Ordinal);
        AssertShape(thumbnail, width, height, ThumbnailSize);
        AssertShape(preview, width, height, PreviewSize);
    }

    /// <summary>The longer side is the bound (never enlarged), and the image is landscape, portrait or square like the photo.</summary>
    private static void AssertShape(DecodedImage image, int width, int height, int bound)
    {
        Assert.Equal(Math.Min(bound, Math.Max(width, height)), Math.Max(image.Width, image.Height));
        Assert.Equal(Math.Sign(width - height), Math.Sign(image.Width - image.Height));
        Assert.True(image.Width >= 1 && image.Height >= 1, $"A side of {image.Width}x{image.Height} is empty.");
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task Original_download_returns_the_exact_bytes_under_the_original_file_name(string file)
    {
        var row = Row(file);
        var owner = await shared.NewUserAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(file));
        var response = await owner.GetAsync(photo.OriginalUrl);

        await response.EnsureSuccessAsync();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(row["sha256"], Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(ImageFormat.FromName(row["format"])!.ContentType, response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.NotNull(disposition);
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(file, disposition.FileNameStar ?? disposition.FileName?.Trim('"'));
    }
}
