using System.Net.Http.Json;
using System.Text;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>
/// When EXIF has no capture date, the photo's date comes from XMP, IPTC, the GPS time, the file's name or (on an import)
/// the file's time, in that order; the offset from the source, or from the GPS time of the same moment. Each fixture is
/// a photo without any date (no-exif-casio.jpg) given one by exiftool, or a name.
/// </summary>
public sealed class DateSourceTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>, IDisposable
{
    private const string Undated = "no-exif-casio.jpg";

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string[], string, string> Dated => new()
    {
        { "xmp-exif.jpg", ["-XMP-exif:DateTimeOriginal=2019:07:14 15:30:12+02:00"], "2019-07-14T15:30:12+02:00", "xmp" },
        { "xmp-create.jpg", ["-XMP-xmp:CreateDate=2019:07:14 15:30:12"], "2019-07-14T15:30:12", "xmp" },
        { "xmp-photoshop.jpg", ["-XMP-photoshop:DateCreated=2019:07:14"], "2019-07-14T00:00:00", "xmp" },
        { "iptc.jpg", ["-IPTC:DateCreated=2019:07:14", "-IPTC:TimeCreated=15:30:12-04:00"], "2019-07-14T15:30:12-04:00", "iptc" },
        { "gps.jpg", ["-GPS:GPSDateStamp=2019:07:14", "-GPS:GPSTimeStamp=13:30:12"], "2019-07-14T13:30:12+00:00", "gps" },
        { "IMG_20190714_153012.jpg", [], "2019-07-14T15:30:12", "file-name" },
        { "PXL_20190714_153012345.jpg", [], "2019-07-14T15:30:12", "file-name" },
        { "Screenshot_20190714-153012.jpg", [], "2019-07-14T15:30:12", "file-name" },
        { "Screenshot 2019-07-14 at 15.30.12.jpg", [], "2019-07-14T15:30:12", "file-name" },
        { "IMG-20190714-WA0001.jpg", [], "2019-07-14T00:00:00", "file-name" },
        // The offset of a local time from the GPS time of the same moment.
        { "exif-and-gps.jpg", ["-EXIF:DateTimeOriginal=2019:07:14 15:30:12", "-GPS:GPSDateStamp=2019:07:14", "-GPS:GPSTimeStamp=13:30:11"], "2019-07-14T15:30:12+02:00", "exif" },
        // Each source wins over those after it.
        { "IMG_20010101_000000.jpg", ["-GPS:GPSDateStamp=2019:07:14", "-GPS:GPSTimeStamp=14:30:12"], "2019-07-14T14:30:12+00:00", "gps" },
        { "exif-over-xmp.jpg", ["-EXIF:DateTimeOriginal=2019:07:14 15:30:12", "-XMP-exif:DateTimeOriginal=2001:01:01 00:00:00"], "2019-07-14T15:30:12", "exif" },
        { "IMG_20020202_000000.jpg", ["-XMP-xmp:CreateDate=2019:07:14 15:30:12", "-IPTC:DateCreated=2002:02:02"], "2019-07-14T15:30:12", "xmp" },
        { "iptc-over-gps.jpg", ["-IPTC:DateCreated=2019:07:14", "-GPS:GPSDateStamp=2003:03:03", "-GPS:GPSTimeStamp=03:03:03"], "2019-07-14T00:00:00", "iptc" },
    };

    [Theory]
    [MemberData(nameof(Dated))]
    public async Task A_photo_without_an_exif_date_takes_it_from_the_next_source_that_has_one(string name, string[] tags, string expected, string source)
    {
        var owner = await shared.NewUserAsync();
        var file = await ExifTool.CopyWithAsync(TestData.Photo(Undated), Path.Combine(_folder.Path, name), tags);

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, file);

        Assert.Equal((expected, source), (photo.TakenAt, photo.TakenAtSource));
        var stored = (await owner.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{photo.Id}"))!;
        Assert.Equal((expected, source), (stored.TakenAt, stored.TakenAtSource));
    }

    [Theory]
    [InlineData("IMG_20990101_000000.jpg")] // the future
    [InlineData("IMG_20191332_000000.jpg")] // no such month
    [InlineData("DSC01234.jpg")]
    [InlineData("12345678.jpg")]
    public async Task A_name_that_holds_no_real_past_date_gives_none(string name)
    {
        var owner = await shared.NewUserAsync();
        var file = Path.Combine(_folder.Path, name);
        File.Copy(TestData.Photo(Undated), file);

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, file);

        Assert.Null(photo.TakenAt);
        Assert.Null(photo.TakenAtSource);
    }

    [Fact]
    public async Task An_xmp_packet_with_a_document_type_is_read_no_further_and_the_photo_is_stored_without_its_date()
    {
        var owner = await shared.NewUserAsync();
        const string Packet = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2019-07-14T15:30:12">&c;</rdf:Description>
            </rdf:RDF></x:xmpmeta>
            """;
        var file = Path.Combine(_folder.Path, "doctype.jpg");
        await File.WriteAllBytesAsync(file, WithXmpSegment(await File.ReadAllBytesAsync(TestData.Photo(Undated)), Packet));

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, file);

        Assert.Null(photo.TakenAt);
    }

    /// <summary>The JPEG with an XMP APP1 segment holding <paramref name="packet"/> right after its start of image.</summary>
    private static byte[] WithXmpSegment(byte[] jpeg, string packet)
    {
        var content = Encoding.ASCII.GetBytes("http://ns.adobe.com/xap/1.0/\0").Concat(Encoding.UTF8.GetBytes(packet)).ToArray();
        var length = content.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. content, .. jpeg[2..]];
    }
}
