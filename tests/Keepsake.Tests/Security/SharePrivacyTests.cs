using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace Keepsake.Tests.Security;

/// <summary>
/// A share link shows where photos were taken and with which camera only when the owner chose it: by default a
/// visitor sees no place or camera, and an original through the link carries no GPS, serial numbers or maker
/// note (its image data and its date unchanged). The owner's own view never changes.
/// </summary>
public sealed class SharePrivacyTests(SharingSecurityApp server) : IClassFixture<SharingSecurityApp>
{
    /// <summary>Camera owner, body serial and lens serial numbers.</summary>
    private static readonly int[] SerialTags = [0xA430, 0xA431, 0xA435];

    public static TheoryData<string> PhotosWithGps => new()
    {
        "gps-apple-iphone4.jpg", "gps-fujifilm-finepix-s2pro.jpg", "gps-samsung-galaxy-note5.jpg", "tiny-1x1-apple-iphone-xr.jpg",
        "apple-iphone-x-orientation-6-gps.webp",
    };

    [Fact]
    public async Task A_share_visitor_sees_no_location_or_camera()
    {
        var (owner, photo, share) = await ShareOneAsync("gps-apple-iphone4.jpg");
        var visitor = server.Stranger();

        var response = await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}");
        var json = await response.Content.ReadAsStringAsync();
        var details = JsonDocument.Parse(json).RootElement;

        await response.EnsureSuccessAsync();
        Assert.Equal(JsonValueKind.Null, details.GetProperty("location").ValueKind);
        Assert.Equal(JsonValueKind.Null, details.GetProperty("camera").ValueKind);
        Assert.DoesNotContain("iPhone 4", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Apple\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("41.85", json, StringComparison.Ordinal);
        Assert.DoesNotContain("12.48", json, StringComparison.Ordinal);
        // The owner still sees both.
        var own = await (await owner.GetAsync($"/api/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();
        Assert.Equal(41.853, own.Location!.Latitude, 3);
        Assert.Contains("iPhone 4", own.Camera!.Model, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PhotosWithGps))]
    public async Task An_original_through_a_link_has_no_gps_in_its_exif(string file)
    {
        var (owner, photo, share) = await ShareOneAsync(file);
        var original = await File.ReadAllBytesAsync(TestData.Photo(file));

        var response = await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");
        var served = await response.Content.ReadAsByteArrayAsync();

        await response.EnsureSuccessAsync();
        Assert.Equal(photo.Format == "webp" ? "image/webp" : "image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(Read(original).OfType<GpsDirectory>());
        var metadata = Read(served);
        Assert.Empty(metadata.OfType<GpsDirectory>());
        Assert.DoesNotContain(metadata, d => d.Name.Contains("Makernote", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(metadata, d => d.Name.Contains("XMP", StringComparison.OrdinalIgnoreCase));
        Assert.All(metadata.OfType<ExifDirectoryBase>(), d => Assert.DoesNotContain(d.Tags, t => SerialTags.Contains(t.Type)));
        // What is not private stays: the date the photo was taken and the image data, byte for byte.
        Assert.Equal(DateTaken(Read(original)), DateTaken(metadata));
        Assert.Equal(PhotoBytes.ImageData(original, photo.Format), PhotoBytes.ImageData(served, photo.Format));
        // Another rendition than the owner's original: a browser used by both never mixes them up.
        Assert.NotEqual((await owner.GetAsync(photo.OriginalUrl)).Headers.ETag, response.Headers.ETag);
    }

    [Theory]
    [InlineData("no-exif-casio.jpg")]
    [InlineData("orientation-3-landscape.jpg")]
    [InlineData("scan-epson-v800.tiff")]
    [InlineData("photo-hopper.gif")]
    public async Task An_original_with_nothing_private_goes_through_a_link_byte_for_byte(string file)
    {
        var (_, photo, share) = await ShareOneAsync(file);

        var response = await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");

        await response.EnsureSuccessAsync();
        Assert.Equal(ImageFormat.FromName(photo.Format)!.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo(file)), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("preview")]
    [InlineData("thumbnail")]
    public async Task Previews_and_thumbnails_through_a_link_carry_no_gps(string variant)
    {
        var (_, photo, share) = await ShareOneAsync("gps-samsung-galaxy-note5.jpg");

        var served = await (await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/{variant}")).Content.ReadAsByteArrayAsync();

        Assert.Empty(Read(served).OfType<GpsDirectory>());
    }

    [Theory]
    [InlineData("thumbnail")]
    [InlineData("preview")]
    public async Task Previews_and_thumbnails_are_made_without_the_originals_metadata(string variant)
    {
        var (owner, photo, _) = await ShareOneAsync("gps-samsung-galaxy-note5.jpg");

        var stored = await (await owner.GetAsync($"/api/photos/{photo.Id}/{variant}")).Content.ReadAsByteArrayAsync();

        // libvips may write a few tags of its own (resolution, orientation); nothing of the camera's.
        var directories = Read(stored);
        Assert.Empty(directories.OfType<GpsDirectory>());
        Assert.All(directories.OfType<ExifSubIfdDirectory>(), exif =>
            Assert.False(exif.ContainsTag(ExifDirectoryBase.TagDateTimeOriginal) || exif.ContainsTag(ExifDirectoryBase.TagLensModel), string.Join(", ", exif.Tags)));
        Assert.All(directories.OfType<ExifIfd0Directory>(), ifd0 =>
            Assert.False(ifd0.ContainsTag(ExifDirectoryBase.TagMake) || ifd0.ContainsTag(ExifDirectoryBase.TagModel), string.Join(", ", ifd0.Tags)));
    }

    [Fact]
    public async Task With_include_location_the_visitor_sees_the_place_and_the_gps()
    {
        var (_, photo, share) = await ShareOneAsync("gps-apple-iphone4.jpg", includeLocation: true);
        var visitor = server.Stranger();

        var details = await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();
        var original = await (await visitor.GetAsync(details.OriginalUrl)).Content.ReadAsByteArrayAsync();

        Assert.True(share.IncludeLocation);
        Assert.Equal(41.853, details.Location!.Latitude, 3);
        Assert.Equal(12.488833, details.Location.Longitude, 3);
        Assert.Contains("iPhone 4", details.Camera!.Model, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo("gps-apple-iphone4.jpg")), original);
        Assert.NotEmpty(Read(original).OfType<GpsDirectory>());
    }

    [Fact]
    public async Task The_owner_still_downloads_the_original_byte_for_byte()
    {
        var (owner, photo, _) = await ShareOneAsync("gps-fujifilm-finepix-s2pro.jpg");

        var original = await (await owner.GetAsync(photo.OriginalUrl)).Content.ReadAsByteArrayAsync();

        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo("gps-fujifilm-finepix-s2pro.jpg")), original);
    }

    [Fact]
    public async Task The_owners_list_says_which_links_include_the_location()
    {
        var user = await server.NewUserAsync();
        var album = await user.CreateAlbumAsync();
        var hidden = await user.ShareAsync(album.Id);
        var shown = await (await user.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, null, IncludeLocation: true))).ReadAsync<CreatedShareDto>();

        var links = await (await user.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>();

        Assert.False(hidden.IncludeLocation);
        Assert.False(links.Single(l => l.Id == hidden.Id).IncludeLocation);
        Assert.True(links.Single(l => l.Id == shown.Id).IncludeLocation);
    }

    [Fact]
    public async Task Serial_numbers_and_the_camera_owner_are_taken_out_of_an_original_through_a_link()
    {
        var user = await server.NewUserAsync();
        var file = PhotoBytes.JpegWithSerialNumbers(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg")));
        var photo = (await (await KeepsakeApp.UploadAsync(user, [("serials.jpg", file)])).ReadAsync<UploadResponseDto>()).Photos.Single().Photo;
        var album = await user.CreateAlbumAsync();
        await user.AddToAlbumAsync(album.Id, photo.Id);
        var share = await user.ShareAsync(album.Id);

        var served = await (await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original")).Content.ReadAsByteArrayAsync();

        var before = Read(file);
        Assert.All(SerialTags, tag => Assert.Contains(before.OfType<ExifSubIfdDirectory>().Single().Tags, t => t.Type == tag));
        Assert.NotEmpty(before.OfType<GpsDirectory>());
        var after = Read(served);
        Assert.Empty(after.OfType<GpsDirectory>());
        Assert.All(after.OfType<ExifDirectoryBase>(), d => Assert.DoesNotContain(d.Tags, t => SerialTags.Contains(t.Type)));
        foreach (var secret in new[] { "Ada Lovelace", "SN-123456789", "LS-4242" })
        {
            Assert.Equal(-1, served.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(secret)));
        }
        Assert.Equal("2021:05:06 07:08:09", DateTaken(after));
        Assert.Equal("Canon", after.OfType<ExifIfd0Directory>().Single().GetDescription(ExifDirectoryBase.TagMake));
        Assert.Equal(PhotoBytes.ImageData(file, "jpeg"), PhotoBytes.ImageData(served, "jpeg"));
    }

    [Fact]
    public async Task A_png_through_a_link_loses_its_exif_and_text_chunks_but_not_its_pixels()
    {
        var (_, photo, share) = await ShareOneAsync("exif-chunk-palette.png");
        var original = await File.ReadAllBytesAsync(TestData.Photo("exif-chunk-palette.png"));

        var response = await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");
        var served = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("eXIf", PhotoBytes.PngChunks(original).Select(c => c.Type));
        Assert.DoesNotContain(PhotoBytes.PngChunks(served), c => c.Type is "eXIf" or "tEXt" or "zTXt" or "iTXt");
        Assert.Equal(PhotoBytes.ImageData(original, "png"), PhotoBytes.ImageData(served, "png"));
    }

    [Fact]
    public async Task A_format_that_cannot_be_cleaned_byte_for_byte_is_shared_as_its_preview()
    {
        var (_, photo, share) = await ShareOneAsync("canon-eos70d-5472x3648.avif");
        var visitor = server.Stranger();

        var response = await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");
        var preview = await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/preview")).Content.ReadAsByteArrayAsync();

        await response.EnsureSuccessAsync();
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".jpg", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.Equal(preview, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_jpeg_whose_exif_cannot_be_walked_is_shared_as_its_preview_and_the_server_lives()
    {
        var user = await server.NewUserAsync();
        var broken = await File.ReadAllBytesAsync(TestData.Photo("gps-samsung-galaxy-note5.jpg"));
        PhotoBytes.GiveTheGpsIfdAnUnknownFieldType(broken);
        var upload = await KeepsakeApp.UploadAsync(user, [("broken-exif.jpg", broken)]);
        var photo = (await upload.ReadAsync<UploadResponseDto>()).Photos.Single().Photo;
        var album = await user.CreateAlbumAsync();
        await user.AddToAlbumAsync(album.Id, photo.Id);
        var share = await user.ShareAsync(album.Id);
        var visitor = server.Stranger();

        var response = await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");
        var served = await response.Content.ReadAsByteArrayAsync();

        await response.EnsureSuccessAsync();
        Assert.Equal(await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/preview")).Content.ReadAsByteArrayAsync(), served);
        Assert.Empty(Read(served).OfType<GpsDirectory>());
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1234567")]
    public async Task A_one_character_link_password_is_refused(string password)
    {
        var user = await server.NewUserAsync();
        var album = await user.CreateAlbumAsync();

        var response = await user.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, password));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("The link could not be created", problem.Title);
        Assert.Empty(await (await user.GetAsync($"/api/albums/{album.Id}/shares")).ReadAsync<List<ShareDto>>());
        Assert.True((await user.ShareAsync(album.Id, password: "12345678")).HasPassword);
    }

    private async Task<(HttpClient Owner, PhotoDetailsDto Photo, CreatedShareDto Share)> ShareOneAsync(string file, bool includeLocation = false)
    {
        var user = await server.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(user, TestData.Photo(file));
        var album = await user.CreateAlbumAsync();
        await user.AddToAlbumAsync(album.Id, photo.Id);
        var share = await (await user.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, null, includeLocation))).ReadAsync<CreatedShareDto>();
        return (user, photo, share);
    }

    private static IReadOnlyList<MetadataExtractor.Directory> Read(byte[] file) => ImageMetadataReader.ReadMetadata(new MemoryStream(file));

    private static string? DateTaken(IEnumerable<MetadataExtractor.Directory> metadata) =>
        metadata.OfType<ExifSubIfdDirectory>().Select(d => d.GetDescription(ExifDirectoryBase.TagDateTimeOriginal)).FirstOrDefault(d => d is not null);
}
