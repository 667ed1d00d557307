using System.Net;
using System.Text.Json;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Storage;

/// <summary>A Keepsake server whose blobs live in an S3 bucket (s3rver), through the API and the CLI.</summary>
[Collection(S3Collection.Name)]
public sealed class S3LibraryTests(S3Server server)
{
    private const string Photo = "gps-apple-iphone4.jpg";

    private async Task<(KeepsakeApp App, string Bucket)> CreateAppAsync()
    {
        var bucket = await server.CreateBucketAsync();
        return (new KeepsakeApp(server.Settings(bucket)), bucket);
    }

    private static string Describe(CliResult result) => $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";

    [Fact]
    public async Task An_uploaded_photo_is_kept_in_the_bucket_and_served_from_it()
    {
        var (app, bucket) = await CreateAppAsync();
        using var _ = app;
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Photo));

        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo(Photo)), await owner.GetByteArrayAsync(photo.OriginalUrl));
        foreach (var (url, type) in new[] { (photo.ThumbnailUrl, "image/webp"), (photo.PreviewUrl, "image/jpeg") })
        {
            using var response = await owner.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }
        var keys = await server.KeysAsync(bucket);
        var id = photo.Id.ToString("N");
        Assert.Collection(keys,
            k => Assert.Matches($"^originals/[0-9a-f]{{32}}/{id}$", k),
            k => Assert.Matches($"^previews/[0-9a-f]{{32}}/{id}\\.jpg$", k),
            k => Assert.Matches($"^thumbnails/[0-9a-f]{{32}}/{id}\\.large\\.webp$", k),
            k => Assert.Matches($"^thumbnails/[0-9a-f]{{32}}/{id}\\.webp$", k));
        Assert.Empty(app.Folder.Files("data"));
    }

    [Fact]
    public async Task Deleting_a_photo_removes_its_objects()
    {
        var (app, bucket) = await CreateAppAsync();
        using var _ = app;
        var owner = await app.CreateOwnerAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Photo));
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await server.KeysAsync(bucket)).Count);

        var response = await owner.DeletePhotoForGoodAsync(photo.Id);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await server.KeysAsync(bucket));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(photo.OriginalUrl)).StatusCode);
    }

    [Fact]
    public async Task A_rejected_batch_leaves_no_object()
    {
        var (app, bucket) = await CreateAppAsync();
        using var _ = app;
        var owner = await app.CreateOwnerAsync();

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Photo(Photo), TestData.Photo("alpha.png"), TestData.Odd("truncated-40pct.jpg"));

        await PhotoTestKit.AssertRejectedAsync(response, HttpStatusCode.UnprocessableEntity, "truncated-40pct.jpg");
        Assert.Empty(await server.KeysAsync(bucket));
        Assert.Empty(await PhotoTestKit.TimelineAsync(owner));
    }

    [Fact]
    public async Task Fsck_on_a_bucket_is_clean_and_then_reports_an_orphan_object()
    {
        var (app, bucket) = await CreateAppAsync();
        using var _ = app;
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Photo));

        var clean = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        var orphan = $"thumbnails/{Guid.NewGuid():N}/{Guid.NewGuid():N}.webp";
        await server.Client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = orphan, ContentBody = "orphan", UseChunkEncoding = false });
        var dirty = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");

        Assert.True(clean.ExitCode == 0, Describe(clean));
        Assert.StartsWith("clean", clean.Lines[^1], StringComparison.Ordinal);
        Assert.True(dirty.ExitCode == 1, Describe(dirty));
        Assert.Equal([orphan], dirty.Lines.Where(l => l.StartsWith("orphan file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
        Assert.StartsWith("problems: 0 missing, 1 orphan", dirty.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_whose_bucket_is_removed_after_start_is_not_ready_and_says_storage()
    {
        var (app, bucket) = await CreateAppAsync();
        using (app)
        {
            using var client = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

            await server.Client.DeleteBucketAsync(bucket);

            var ready = await client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            var storage = report.RootElement.GetProperty("checks").GetProperty("storage");
            Assert.Equal("Unhealthy", storage.GetProperty("status").GetString());
            Assert.Contains("does not exist", storage.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        }
    }
}
