using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>Uploads: duplicates per user, several files per request, and all-or-nothing batches.</summary>
public sealed class PhotoUploadTests
{
    [Fact]
    public async Task Uploading_the_same_bytes_again_returns_the_existing_photo_with_200_and_stores_no_second_set_of_files()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var path = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");
        var first = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(owner, path), HttpStatusCode.Created);
        var filesAfterFirst = app.StoredFiles();

        var again = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(owner, path), HttpStatusCode.OK);

        var original = Assert.Single(first.Photos);
        var duplicate = Assert.Single(again.Photos);
        Assert.False(original.Duplicate);
        Assert.True(duplicate.Duplicate);
        Assert.Equal(original.Photo.Id, duplicate.Photo.Id);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, filesAfterFirst.Count);
        Assert.Equal(filesAfterFirst, app.StoredFiles());
        Assert.Equal(original.Photo.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
    }

    [Fact]
    public async Task The_same_bytes_under_another_file_name_are_still_a_duplicate()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var bytes = await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"));
        var first = await PhotoTestKit.ReadUploadAsync(await PhotoTestKit.UploadBytesAsync(owner, ("casio.jpg", bytes)), HttpStatusCode.Created);

        var again = await PhotoTestKit.ReadUploadAsync(await PhotoTestKit.UploadBytesAsync(owner, ("renamed.jpg", bytes)), HttpStatusCode.OK);

        var duplicate = Assert.Single(again.Photos);
        Assert.True(duplicate.Duplicate);
        Assert.Equal("renamed.jpg", duplicate.FileName);
        Assert.Equal(first.Photos[0].Photo.Id, duplicate.Photo.Id);
        Assert.Equal("casio.jpg", duplicate.Photo.FileName);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
    }

    [Fact]
    public async Task Another_user_uploading_the_same_bytes_gets_a_photo_of_their_own()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var user = await app.CreateUserAsync(owner, "user@example.com");
        var path = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");
        var ownersPhoto = await KeepsakeApp.UploadPhotoAsync(owner, path);

        var response = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(user, path), HttpStatusCode.Created);

        var usersUpload = Assert.Single(response.Photos);
        Assert.False(usersUpload.Duplicate);
        Assert.NotEqual(ownersPhoto.Id, usersUpload.Photo.Id);
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
        Assert.Equal(usersUpload.Photo.Id, Assert.Single(await PhotoTestKit.TimelineAsync(user)).Id);
        Assert.Equal(ownersPhoto.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
    }

    [Fact]
    public async Task Several_files_in_one_request_are_all_stored_in_the_order_sent()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        string[] files = ["no-exif-casio.jpg", "alpha.png", "photo-hopper.gif"];

        var response = await PhotoTestKit.ReadUploadAsync(
            await KeepsakeApp.UploadAsync(owner, [.. files.Select(TestData.Photo)]), HttpStatusCode.Created);

        Assert.Equal(files, response.Photos.Select(p => p.FileName));
        Assert.Equal(files, response.Photos.Select(p => p.Photo.FileName));
        Assert.All(response.Photos, p => Assert.False(p.Duplicate));
        Assert.Equal(["jpeg", "png", "gif"], response.Photos.Select(p => p.Photo.Format));
        Assert.Equal(3 * PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
        Assert.Equal(
            response.Photos.Select(p => p.Photo.Id).Order(),
            (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id).Order());
    }

    [Fact]
    public async Task The_same_bytes_twice_in_one_request_store_one_photo()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var bytes = await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"));

        var response = await PhotoTestKit.ReadUploadAsync(
            await PhotoTestKit.UploadBytesAsync(owner, ("a.jpg", bytes), ("b.jpg", bytes)), HttpStatusCode.Created);

        Assert.Equal(2, response.Photos.Count);
        Assert.False(response.Photos[0].Duplicate);
        Assert.True(response.Photos[1].Duplicate);
        Assert.Equal(response.Photos[0].Photo.Id, response.Photos[1].Photo.Id);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
        Assert.Single(await PhotoTestKit.TimelineAsync(owner));
    }

    [Fact]
    public async Task A_batch_of_only_known_photos_answers_200_and_one_with_a_new_photo_answers_201()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var known = TestData.Photo("no-exif-casio.jpg");
        var fresh = TestData.Photo("alpha.png");
        await KeepsakeApp.UploadPhotoAsync(owner, known);

        var mixed = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(owner, known, fresh), HttpStatusCode.Created);
        var allKnown = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(owner, fresh, known), HttpStatusCode.OK);

        Assert.Equal([true, false], mixed.Photos.Select(p => p.Duplicate));
        Assert.Equal([true, true], allKnown.Photos.Select(p => p.Duplicate));
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
    }

    [Fact]
    public async Task Two_simultaneous_uploads_of_the_same_bytes_store_one_photo_and_no_orphan_files()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var second = await app.LoginAsync("owner@example.com");
        var path = TestData.Photo("gps-samsung-galaxy-note5.jpg");

        var responses = await Task.WhenAll(KeepsakeApp.UploadAsync(owner, path), KeepsakeApp.UploadAsync(second, path));

        var uploads = new List<UploadedPhotoDto>();
        foreach (var response in responses)
        {
            await response.EnsureSuccessAsync();
            uploads.Add(Assert.Single((await response.Content.ReadFromJsonAsync<UploadResponseDto>())!.Photos));
        }
        Assert.Equal(uploads[0].Photo.Id, uploads[1].Photo.Id);
        Assert.Single(uploads, u => !u.Duplicate);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
        Assert.Equal(uploads[0].Photo.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
    }

    [Theory]
    [InlineData("../../etc/evil.jpg", "evil.jpg")]
    [InlineData("C:\\Users\\me\\Pictures\\holiday.jpg", "holiday.jpg")]
    [InlineData("Ünïcødé фото 写真.jpg", "Ünïcødé фото 写真.jpg")]
    public async Task The_stored_file_name_drops_any_folder_and_comes_back_in_the_download(string sent, string stored)
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var bytes = await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"));

        var upload = await PhotoTestKit.ReadUploadAsync(await PhotoTestKit.UploadBytesAsync(owner, (sent, bytes)), HttpStatusCode.Created);
        var photo = Assert.Single(upload.Photos).Photo;
        var original = await owner.GetAsync(photo.OriginalUrl);

        Assert.Equal(stored, photo.FileName);
        Assert.Equal(stored, original.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(bytes, await original.Content.ReadAsByteArrayAsync());
        Assert.All(app.StoredFiles(), f => Assert.DoesNotContain("evil", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_whose_last_file_is_over_the_size_limit_stores_nothing()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:MaxUploadBytes"] = "20000" });
        var owner = await app.CreateOwnerAsync();

        var response = await KeepsakeApp.UploadAsync(owner,
            TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"), TestData.Photo("no-exif-casio.jpg"), TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));

        await PhotoTestKit.AssertRejectedAsync(response, HttpStatusCode.RequestEntityTooLarge, "gps-fujifilm-finepix-s2pro.jpg");
        await PhotoTestKit.AssertNothingStoredAsync(app, owner);
    }

    /// <summary>Bad files caught while streaming (empty, not an image) and while decoding (corrupt, too many pixels).</summary>
    [Theory]
    [InlineData("text.jpg", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("empty.jpg", HttpStatusCode.UnprocessableEntity)]
    [InlineData("truncated-40pct.jpg", HttpStatusCode.UnprocessableEntity)]
    [InlineData("png-bomb-30000x30000.png", HttpStatusCode.UnprocessableEntity)]
    public async Task A_batch_where_one_file_is_bad_stores_nothing_at_all(string badFile, HttpStatusCode status)
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await KeepsakeApp.UploadAsync(owner,
            TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"), TestData.Photo("alpha.png"), TestData.Odd(badFile), TestData.Photo("no-exif-casio.jpg"));

        await PhotoTestKit.AssertRejectedAsync(response, status, badFile);
        await PhotoTestKit.AssertNothingStoredAsync(app, owner);
    }

    [Fact]
    public async Task A_rejected_batch_leaves_earlier_photos_untouched_and_can_be_sent_again_without_the_bad_file()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var earlier = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var filesBefore = app.StoredFiles();

        var rejected = await KeepsakeApp.UploadAsync(owner, TestData.Photo("alpha.png"), TestData.Odd("text.jpg"));
        await PhotoTestKit.AssertRejectedAsync(rejected, HttpStatusCode.UnsupportedMediaType, "text.jpg");
        Assert.Equal(filesBefore, app.StoredFiles());
        Assert.Equal(earlier.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);

        var retried = await PhotoTestKit.ReadUploadAsync(await KeepsakeApp.UploadAsync(owner, TestData.Photo("alpha.png")), HttpStatusCode.Created);
        Assert.False(Assert.Single(retried.Photos).Duplicate);
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
    }
}
