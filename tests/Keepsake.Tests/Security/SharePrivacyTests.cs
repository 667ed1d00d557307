using System.Buffers.Binary;
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
        Assert.Equal(ImageData(original, photo.Format), ImageData(served, photo.Format));
        // Another rendition than the owner's original: a browser used by both never mixes them up.
        Assert.NotEqual((await owner.GetAsync(photo.OriginalUrl)).Headers.ETag, response.Headers.ETag);
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
        var file = JpegWithSerialNumbers(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg")));
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
        Assert.Equal(ImageData(file, "jpeg"), ImageData(served, "jpeg"));
    }

    [Fact]
    public async Task A_png_through_a_link_loses_its_exif_and_text_chunks_but_not_its_pixels()
    {
        var (_, photo, share) = await ShareOneAsync("exif-chunk-palette.png");
        var original = await File.ReadAllBytesAsync(TestData.Photo("exif-chunk-palette.png"));

        var response = await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");
        var served = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("eXIf", PngChunks(original).Select(c => c.Type));
        Assert.DoesNotContain(PngChunks(served), c => c.Type is "eXIf" or "tEXt" or "zTXt" or "iTXt");
        Assert.Equal(ImageData(original, "png"), ImageData(served, "png"));
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
        GiveTheGpsIfdAnUnknownFieldType(broken);
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

    /// <summary>The coded image: a JPEG's first scan to its end, a WebP's VP8/VP8L chunk, a PNG's IDAT chunks.</summary>
    private static byte[] ImageData(byte[] file, string format)
    {
        switch (format)
        {
            case "jpeg":
                var position = 2;
                while (file[position + 1] != 0xDA)
                {
                    position += 2 + BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(position + 2));
                }
                var end = position;
                while (!(file[end] == 0xFF && file[end + 1] == 0xD9))
                {
                    end++;
                }
                return file[position..(end + 2)];
            case "webp":
                for (var chunk = 12; chunk + 8 <= file.Length; chunk += 8 + (int)((BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(chunk + 4)) + 1) & ~1u))
                {
                    if (file.AsSpan(chunk, 4).SequenceEqual("VP8 "u8) || file.AsSpan(chunk, 4).SequenceEqual("VP8L"u8))
                    {
                        return file[chunk..(chunk + 8 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(chunk + 4)))];
                    }
                }
                throw new InvalidDataException("no VP8 chunk");
            default:
                return PngChunks(file).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        }
    }

    private static List<(string Type, byte[] Data)> PngChunks(byte[] file)
    {
        var chunks = new List<(string, byte[])>();
        for (var position = 8; position + 12 <= file.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position));
            chunks.Add((System.Text.Encoding.ASCII.GetString(file, position + 4, 4), file[(position + 8)..(position + 8 + length)]));
            position += 12 + length;
        }
        return chunks;
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF block in front of its other segments (little-endian TIFF): IFD0 with the make
    /// and pointers to an Exif IFD (date taken, camera owner, body and lens serial numbers) and a GPS IFD (latitude).
    /// </summary>
    private static byte[] JpegWithSerialNumbers(byte[] jpeg)
    {
        var tiff = new byte[218];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        void Entry(int at, ushort tag, ushort type, uint count, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), count);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), value);
        }
        void Text(int at, string text) => System.Text.Encoding.ASCII.GetBytes(text + "\0").CopyTo(tiff.AsSpan(at));
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 3);
        Entry(10, 0x010F, 2, 6, 50);
        Entry(22, 0x8769, 4, 1, 56);
        Entry(34, 0x8825, 4, 1, 164);
        Text(50, "Canon");
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(56), 4);
        Entry(58, 0x9003, 2, 20, 110);
        Entry(70, 0xA430, 2, 13, 130);
        Entry(82, 0xA431, 2, 13, 143);
        Entry(94, 0xA435, 2, 8, 156);
        Text(110, "2021:05:06 07:08:09");
        Text(130, "Ada Lovelace");
        Text(143, "SN-123456789");
        Text(156, "LS-4242");
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(164), 2);
        Entry(166, 0x0001, 2, 2, 'N');
        Entry(178, 0x0002, 5, 3, 194);
        foreach (var (i, numerator, denominator) in new[] { (0, 51u, 1u), (1, 30u, 1u), (2, 2628u, 100u) })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(194 + (8 * i)), numerator);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(198 + (8 * i)), denominator);
        }
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>Gives the first entry of the JPEG's GPS IFD a field type no TIFF version defines, so its size is unknown.
    /// Readers skip such an entry; nothing can tell how many bytes of the block its value takes.</summary>
    private static void GiveTheGpsIfdAnUnknownFieldType(byte[] jpeg)
    {
        var exif = jpeg.AsSpan().IndexOf("Exif\0\0"u8) + 6;
        var little = jpeg[exif] == 'I';
        int U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(jpeg.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at));
        int U32(int at) => (int)(little ? BinaryPrimitives.ReadUInt32LittleEndian(jpeg.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(jpeg.AsSpan(at)));
        var ifd0 = exif + U32(exif + 4);
        var gpsEntry = Enumerable.Range(0, U16(ifd0)).Select(i => ifd0 + 2 + (12 * i)).Single(e => U16(e) == 0x8825);
        var gps = exif + U32(gpsEntry + 8);
        var type = gps + 2 + 2;
        jpeg[type] = little ? (byte)0xEE : (byte)0;
        jpeg[type + 1] = little ? (byte)0 : (byte)0xEE;
    }
}
