using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>A download is named and typed by what the file really is, never by the name its uploader gave it.</summary>
public sealed class DownloadNameTests(SharingSecurityApp server) : IClassFixture<SharingSecurityApp>
{
    [Fact]
    public async Task A_jpeg_uploaded_as_invoice_html_downloads_as_invoice_jpg()
    {
        var user = await server.NewUserAsync();
        var photo = await UploadAsAsync(user, "gps-apple-iphone4.jpg", "invoice.html");

        var response = await user.GetAsync(photo.OriginalUrl);

        await response.EnsureSuccessAsync();
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Equal("invoice.jpg", Unquote(disposition!.FileName));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("alpha.png", "photo.jpg", "photo.png", "image/png")]
    [InlineData("no-exif-casio.jpg", "<b>alert(1)<b>;x=y.svg", "_b_alert(1)_b__x_y.jpg", "image/jpeg")]
    [InlineData("no-exif-casio.jpg", ".htaccess", "photo.jpg", "image/jpeg")]
    [InlineData("no-exif-casio.jpg", "bell\u0007\u202Egpj.exe", "bell_gpj.jpg", "image/jpeg")]
    [InlineData("nikon-d1x.webp", "IMG_1234.JPG", "IMG_1234.webp", "image/webp")]
    [InlineData("no-exif-casio.jpg", "IMG_1234.JPEG", "IMG_1234.JPEG", "image/jpeg")]
    [InlineData("scan-epson-v800.tiff", "scan.tif", "scan.tif", "image/tiff")]
    [InlineData("scan-epson-v800.tiff", "scan.jpg", "scan.tif", "image/tiff")]
    public async Task The_download_name_is_the_uploaded_base_name_made_safe_with_the_real_formats_extension(
        string file, string uploadedAs, string downloadName, string contentType)
    {
        var user = await server.NewUserAsync();
        var photo = await UploadAsAsync(user, file, uploadedAs);

        var response = await user.GetAsync(photo.OriginalUrl);

        await response.EnsureSuccessAsync();
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(downloadName, Unquote(response.Content.Headers.ContentDisposition!.FileName));
    }

    [Theory]
    [InlineData("a\"b;c=d.jpg", "a_b_c_d")]
    [InlineData("..\\..\\windows\\evil.exe", "evil")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("...", "photo")]
    [InlineData("   .jpg", "photo")]
    [InlineData("\u0000\u001b[31m.png", "___31m")]
    [InlineData("naïve café.png", "naïve café")]
    public void A_base_name_keeps_letters_digits_and_a_few_safe_marks(string uploaded, string expected)
    {
        Assert.Equal(expected, Keepsake.Photos.PhotoFiles.SafeBaseName(uploaded));
    }

    [Fact]
    public void A_very_long_base_name_is_cut_to_a_hundred_characters()
    {
        Assert.Equal(new string('x', 100), Keepsake.Photos.PhotoFiles.SafeBaseName(new string('x', 300) + ".jpg"));
    }

    [Fact]
    public async Task A_name_with_letters_beyond_ascii_keeps_them_in_filename_star()
    {
        var user = await server.NewUserAsync();
        var photo = await UploadAsAsync(user, "no-exif-casio.jpg", "Ferien in Zürich 🏔.jpeg");

        var response = await user.GetAsync(photo.OriginalUrl);

        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("Ferien in Zürich _.jpeg", disposition.FileNameStar);
        Assert.All(Unquote(disposition.FileName), c => Assert.True(c < 128, $"'{c}' in the plain filename"));
        Assert.EndsWith(".jpeg", Unquote(disposition.FileName), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Previews_and_thumbnails_are_inline_images_of_their_real_type()
    {
        var user = await server.NewUserAsync();
        var photo = await UploadAsAsync(user, "alpha.png", "page.html");

        var preview = await user.GetAsync(photo.PreviewUrl);
        var thumbnail = await user.GetAsync(photo.ThumbnailUrl);

        Assert.Equal("image/jpeg", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Null(preview.Content.Headers.ContentDisposition);
        Assert.Null(thumbnail.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task A_shared_original_is_named_the_same_way()
    {
        var user = await server.NewUserAsync();
        var photo = await UploadAsAsync(user, "gps-samsung-galaxy-note5.jpg", "holiday.php");
        var album = await user.CreateAlbumAsync();
        await user.AddToAlbumAsync(album.Id, photo.Id);
        var share = await user.ShareAsync(album.Id);

        var response = await server.Stranger().GetAsync($"/api/s/{share.Token}/photos/{photo.Id}/original");

        await response.EnsureSuccessAsync();
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("holiday.jpg", Unquote(response.Content.Headers.ContentDisposition!.FileName));
    }

    private static async Task<Keepsake.Photos.PhotoDetailsDto> UploadAsAsync(HttpClient user, string file, string name)
    {
        var response = await KeepsakeApp.UploadAsync(user, [(name, await File.ReadAllBytesAsync(TestData.Photo(file)))]);
        return (await response.ReadAsync<Keepsake.Photos.UploadResponseDto>()).Photos.Single().Photo;
    }

    private static string Unquote(string? value) => value is null ? "" : value.Trim('"');
}
