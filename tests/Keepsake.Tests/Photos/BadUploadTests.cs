using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>Uploads that must be refused with a problem a person understands, leaving no row and no file behind (a server with a size limit of its own is an app of its own).</summary>
public sealed class BadUploadTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task A_body_that_is_not_multipart_is_415_and_stores_nothing()
    {
        var owner = await shared.NewUserAsync();

        var response = await owner.PostAsJsonAsync("/api/photos", new { file = "photo.jpg" });

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task Raw_jpeg_bytes_posted_without_multipart_are_415_and_store_nothing()
    {
        var owner = await shared.NewUserAsync();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg")));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");

        var response = await owner.PostAsync("/api/photos", content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task Multipart_without_a_boundary_is_415_and_stores_nothing()
    {
        var owner = await shared.NewUserAsync();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg")));
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");

        var response = await owner.PostAsync("/api/photos", content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task Multipart_with_no_file_is_400_and_stores_nothing()
    {
        var owner = await shared.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("a caption"), "caption" } };

        var response = await owner.PostAsync("/api/photos", form);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task A_multipart_body_cut_off_midway_is_400_and_stores_nothing()
    {
        var owner = await shared.NewUserAsync();
        var photo = await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"));
        var head = "--cut\r\nContent-Disposition: form-data; name=\"files\"; filename=\"casio.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"u8.ToArray();
        using var content = new ByteArrayContent([.. head, .. photo.AsSpan(0, photo.Length / 2)]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=cut");

        var response = await owner.PostAsync("/api/photos", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Theory]
    [InlineData("text.jpg", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("svg-with-script.svg", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("empty.jpg", HttpStatusCode.UnprocessableEntity)]
    [InlineData("png-bomb-30000x30000.png", HttpStatusCode.UnprocessableEntity)]
    [InlineData("jpeg-dims-lie-65000x65000.jpg", HttpStatusCode.UnprocessableEntity)]
    [InlineData("truncated-40pct.jpg", HttpStatusCode.UnprocessableEntity)]
    public async Task A_bad_file_is_refused_with_a_problem_naming_it_and_stores_nothing(string file, HttpStatusCode status)
    {
        var owner = await shared.NewUserAsync();

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Odd(file));

        await PhotoTestKit.AssertRejectedAsync(response, status, file);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Theory]
    [InlineData("png-bomb-30000x30000.png", "30000×30000")]
    [InlineData("jpeg-dims-lie-65000x65000.jpg", "65000×65000")]
    public async Task A_photo_with_too_many_pixels_is_refused_from_its_header(string file, string size)
    {
        var owner = await shared.NewUserAsync();

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Odd(file));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(size, problem.Detail, StringComparison.Ordinal);
        Assert.Contains("megapixels", problem.Detail, StringComparison.Ordinal);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_413_and_stores_nothing()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:MaxUploadBytes"] = "10000" });
        var owner = await app.CreateOwnerAsync();

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("gps-fujifilm-finepix-s2pro.jpg", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("10 kB", problem.Detail, StringComparison.Ordinal);
        await PhotoTestKit.AssertNothingStoredAsync(app, owner);
    }

    [Theory]
    [InlineData(2852, true)]
    [InlineData(2851, false)]
    public async Task A_file_of_exactly_the_size_limit_is_accepted_and_one_byte_over_is_not(long limit, bool accepted)
    {
        var path = TestData.Photo("tiny-1x1-apple-iphone-xr.jpg");
        Assert.Equal(2852, new FileInfo(path).Length);
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:MaxUploadBytes"] = limit.ToString(CultureInfo.InvariantCulture) });
        var owner = await app.CreateOwnerAsync();

        var response = await KeepsakeApp.UploadAsync(owner, path);

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
        }
        else
        {
            await PhotoTestKit.AssertRejectedAsync(response, HttpStatusCode.RequestEntityTooLarge, "tiny-1x1-apple-iphone-xr.jpg");
            await PhotoTestKit.AssertNothingStoredAsync(app, owner);
        }
    }

    [Fact]
    public async Task A_file_under_the_size_limit_is_still_accepted_by_a_server_with_a_small_limit()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:MaxUploadBytes"] = "10000" });
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));

        Assert.Equal(1, photo.Width);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
    }

    [Fact]
    public async Task An_upload_without_signing_in_is_401_and_stores_nothing()
    {
        var owner = await shared.NewUserAsync();
        using var anonymous = shared.App.CreateClient();

        var response = await KeepsakeApp.UploadAsync(anonymous, TestData.Photo("no-exif-casio.jpg"));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    [Fact]
    public async Task Reading_the_timeline_or_a_photo_without_signing_in_is_401()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        using var anonymous = shared.App.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/photos")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
        // The session-checked route; the signed URL the API hands out is a permission of its own (SignedPhotoUrlTests).
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/photos/{photo.Id}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(photo.OriginalUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/photos/{photo.Id}")).StatusCode);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);
    }

    [Fact]
    public async Task An_upload_without_the_antiforgery_header_is_refused_and_stores_nothing()
    {
        var email = shared.NewEmail();
        var owner = await shared.NewUserAsync(email);
        var cookie = await SignInCookieAsync(shared.App, email);
        using var client = shared.App.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", cookie);

        var response = await KeepsakeApp.UploadAsync(client, TestData.Photo("no-exif-casio.jpg"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        await PhotoTestKit.AssertNothingStoredAsync(shared, owner);
    }

    private static async Task<string> SignInCookieAsync(KeepsakeApp app, string email)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new Keepsake.Accounts.CredentialsDto(email, KeepsakeApp.DefaultPassword));
        await response.EnsureSuccessAsync();
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    [Fact]
    public async Task Another_users_photo_is_404_to_read_fetch_or_delete_and_stays_intact()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync(shared.NewEmail("stranger"));
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var files = shared.App.StoredFiles();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
        // The session-checked routes; the owner's signed URLs are a permission of their own (SignedPhotoUrlTests).
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/photos/{photo.Id}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/photos/{photo.Id}/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(photo.OriginalUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/photos/{photo.Id}")).StatusCode);
        Assert.Empty(await PhotoTestKit.TimelineAsync(stranger));

        Assert.Equal(files, shared.App.StoredFiles());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(photo.OriginalUrl)).StatusCode);
    }
}
