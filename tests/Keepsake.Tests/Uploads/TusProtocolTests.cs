using System.Net;
using System.Security.Cryptography;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Uploads;

/// <summary>The tus 1.0.0 protocol at /api/uploads, request by request: core, creation, termination and checksum.</summary>
public sealed class TusProtocolTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly byte[] Photo = File.ReadAllBytes(TestData.Photo("gps-apple-iphone4.jpg"));

    [Fact]
    public async Task Options_advertise_the_version_the_extensions_and_the_largest_upload()
    {
        var user = await shared.NewUserAsync();

        var response = await user.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/uploads"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Header("Tus-Version"));
        Assert.Equal("creation,termination,expiration,checksum", response.Header("Tus-Extension"));
        Assert.Equal(new PhotosOptions().MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Tus-Max-Size"));
        Assert.Contains("sha1", response.Header("Tus-Checksum-Algorithm"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0.2.2")]
    public async Task A_request_for_another_protocol_version_gets_412_with_the_version_the_server_speaks(string? version)
    {
        var user = await shared.NewUserAsync();
        var headers = new Dictionary<string, string>(Tus.Creation("a.jpg", 10));
        headers.Remove("Tus-Resumable");
        if (version is not null)
        {
            headers["Tus-Resumable"] = version;
        }

        var response = await Tus.SendAsync(user, HttpMethod.Post, "/api/uploads", headers);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("1.0.0", response.Header("Tus-Version"));
    }

    [Fact]
    public async Task Creation_answers_where_the_upload_is_and_when_it_expires_and_it_starts_at_offset_0()
    {
        var user = await shared.NewUserAsync();

        var created = await Tus.PostAsync(user, "beach.jpg", Photo.Length);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1.0.0", created.Header("Tus-Resumable"));
        var expires = DateTimeOffset.Parse(created.Header("Upload-Expires"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        var head = await Tus.HeadAsync(user, created.Headers.Location!);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("0", head.Header("Upload-Offset"));
        Assert.Equal(Photo.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Upload-Length"));
        Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Chunks_append_from_the_offset_and_the_last_one_stores_the_photo_byte_for_byte()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        var third = Photo.Length / 3;

        var first = await Tus.PatchAsync(user, upload, 0, Photo[..third]);
        var offsetAfterFirst = await Tus.OffsetAsync(user, upload);
        var second = await Tus.PatchAsync(user, upload, third, Photo[third..(2 * third)]);
        var last = await Tus.PatchAsync(user, upload, 2 * third, Photo[(2 * third)..]);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(third.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Header("Upload-Offset"));
        Assert.Equal(third, offsetAfterFirst);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        var photoId = Guid.Parse(last.Header("Upload-Photo-Id"));
        var original = await (await user.GetAsync($"/api/photos/{photoId}/original")).Content.ReadAsByteArrayAsync();
        Assert.Equal(SHA256.HashData(Photo), SHA256.HashData(original));
        Assert.Equal(HttpStatusCode.NotFound, (await Tus.HeadAsync(user, upload)).StatusCode);
        Assert.Empty(PartsOf(upload));
    }

    [Fact]
    public async Task The_same_photo_sent_again_answers_with_the_photo_already_stored()
    {
        var user = await shared.NewUserAsync();
        var first = await Tus.UploadAsync(user, Photo, "beach.jpg", chunkSize: Photo.Length);

        var again = await Tus.UploadAsync(user, Photo, "beach-copy.jpg", chunkSize: Photo.Length / 2);

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(first.Header("Upload-Photo-Id"), again.Header("Upload-Photo-Id"));
        Assert.Equal("false", first.Header("Upload-Photo-Duplicate"));
        Assert.Equal("true", again.Header("Upload-Photo-Duplicate"));
    }

    [Fact]
    public async Task A_chunk_at_another_offset_gets_409_and_changes_nothing()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        await (await Tus.PatchAsync(user, upload, 0, Photo[..1000])).EnsureSuccessAsync();

        var response = await Tus.PatchAsync(user, upload, 500, Photo[500..2000]);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("has 1000 bytes", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1000, await Tus.OffsetAsync(user, upload));
    }

    [Fact]
    public async Task An_upload_longer_than_one_photo_may_be_gets_413_and_no_upload()
    {
        var user = await shared.NewUserAsync();

        var response = await Tus.PostAsync(user, "huge.jpg", new PhotosOptions().MaxUploadBytes + 1);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Photo too large", problem.Title);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_chunk_past_the_upload_length_gets_413_and_keeps_the_offset()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", 100);

        var response = await Tus.PatchAsync(user, upload, 0, Photo[..101]);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await Tus.OffsetAsync(user, upload));
    }

    [Theory]
    [InlineData("", "must name the file")]
    [InlineData("filename not-base64!", "'filename' in 'Upload-Metadata' is not base64")]
    [InlineData("filename YS5qcGc=,filename Yi5qcGc=", "names the key 'filename' twice")]
    [InlineData("filename YS5qcGc=,sha256 MTIz", "64 hexadecimal digits")]
    [InlineData("filename YS5qcGc=,takenAt eWVzdGVyZGF5", "ISO 8601")]
    public async Task Metadata_that_cannot_be_read_gets_400_saying_what_is_wrong(string metadata, string saying)
    {
        var user = await shared.NewUserAsync();
        var headers = new Dictionary<string, string>(Tus.Creation("a.jpg", 10)) { ["Upload-Metadata"] = metadata };

        var response = await Tus.SendAsync(user, HttpMethod.Post, "/api/uploads", headers);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(saying, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_that_is_not_an_offset_stream_gets_415()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        var content = new ByteArrayContent(Photo);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");

        var response = await Tus.SendAsync(user, HttpMethod.Patch, upload.ToString(), Tus.Append(0), content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Another_users_upload_is_not_found_and_stays_as_it_was()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(owner, "beach.jpg", Photo.Length);
        await (await Tus.PatchAsync(owner, upload, 0, Photo[..1000])).EnsureSuccessAsync();

        var head = await Tus.HeadAsync(other, upload);
        var patch = await Tus.PatchAsync(other, upload, 1000, Photo[1000..]);
        var delete = await Tus.SendAsync(other, HttpMethod.Delete, upload.ToString(), Tus.Resumable);

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        await patch.AssertProblemAsync(HttpStatusCode.NotFound);
        await delete.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1000, await Tus.OffsetAsync(owner, upload));
    }

    [Fact]
    public async Task Termination_removes_the_upload_and_every_part_of_it()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        await (await Tus.PatchAsync(user, upload, 0, Photo[..1000])).EnsureSuccessAsync();
        Assert.NotEmpty(PartsOf(upload));

        var response = await Tus.SendAsync(user, HttpMethod.Delete, upload.ToString(), Tus.Resumable);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Tus.HeadAsync(user, upload)).StatusCode);
        Assert.Empty(PartsOf(upload));
    }

    [Fact]
    public async Task A_chunk_whose_checksum_matches_is_kept_and_one_that_does_not_gets_460_and_is_dropped()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        var chunk = Photo[..1000];

        var matching = await Tus.PatchAsync(user, upload, 0, chunk, "sha1 " + Convert.ToBase64String(SHA1.HashData(chunk)));
        var wrong = await Tus.PatchAsync(user, upload, 1000, Photo[1000..2000], "sha1 " + Convert.ToBase64String(SHA1.HashData(chunk)));
        var unknown = await Tus.PatchAsync(user, upload, 1000, Photo[1000..2000], "crc32 AAAA");

        Assert.Equal(HttpStatusCode.NoContent, matching.StatusCode);
        Assert.Equal(460, (int)wrong.StatusCode);
        var problem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("sha1", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1000, await Tus.OffsetAsync(user, upload));
    }

    [Fact]
    public async Task Bytes_that_differ_from_the_sha256_given_get_460_and_nothing_is_stored()
    {
        var user = await shared.NewUserAsync();
        var metadata = Tus.Metadata(("filename", "beach.jpg"), ("sha256", new string('a', 64)));

        var response = await Tus.UploadAsync(user, Photo, "beach.jpg", chunkSize: Photo.Length, metadata);

        Assert.Equal(460, (int)response.StatusCode);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Photo)), (await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await AssertNothingStoredAsync(user);
    }

    [Fact]
    public async Task A_matching_sha256_and_the_time_taken_are_accepted()
    {
        var user = await shared.NewUserAsync();
        var metadata = Tus.Metadata(("filename", "beach.jpg"), ("sha256", Convert.ToHexStringLower(SHA256.HashData(Photo))), ("takenAt", "2024-07-14T09:30:00+02:00"));

        var response = await Tus.UploadAsync(user, Photo, "beach.jpg", chunkSize: 4096, metadata);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(Guid.TryParse(response.Header("Upload-Photo-Id"), out _));
    }

    [Fact]
    public async Task A_damaged_photo_gets_the_problem_a_form_upload_gets_and_leaves_nothing()
    {
        var user = await shared.NewUserAsync();
        var truncated = await File.ReadAllBytesAsync(TestData.Odd("truncated-40pct.jpg"));
        var form = await KeepsakeApp.UploadAsync(user, TestData.Odd("truncated-40pct.jpg"));
        var formProblem = await form.AssertProblemAsync(form.StatusCode);

        var upload = await Tus.CreateAsync(user, "truncated-40pct.jpg", truncated.Length);
        await (await Tus.PatchAsync(user, upload, 0, truncated[..1000])).EnsureSuccessAsync();
        var response = await Tus.PatchAsync(user, upload, 1000, truncated[1000..]);

        var problem = await response.AssertProblemAsync(form.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(formProblem.Title, problem.Title);
        Assert.Equal(formProblem.Detail, problem.Detail);
        Assert.Equal(HttpStatusCode.NotFound, (await Tus.HeadAsync(user, upload)).StatusCode);
        Assert.Empty(PartsOf(upload));
        await AssertNothingStoredAsync(user);
    }

    /// <summary>The parts the store holds for one upload.</summary>
    private List<string> PartsOf(Uri upload)
    {
        var id = upload.ToString().Split('/').Last();
        return shared.App.StoredFiles().Where(key => key.StartsWith("uploads/", StringComparison.Ordinal) && key.Contains(id, StringComparison.Ordinal)).ToList();
    }

    private async Task AssertNothingStoredAsync(HttpClient user)
    {
        var page = await (await user.GetAsync("/api/photos")).ReadAsync<PhotoPageDto>();
        Assert.Empty(page.Items);
        var files = await shared.App.StoredFilesOfAsync(user);
        Assert.DoesNotContain(files, key => PhotoBlobs.Prefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)));
    }
}
