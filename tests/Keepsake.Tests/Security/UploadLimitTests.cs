using System.Net;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Keepsake.Tests.Security;

/// <summary>
/// One upload request must not fill the disk: its parts are capped in number and in bytes together, each part is
/// checked as it streams in, and a server short of space refuses. The limits are lowered so no test writes much.
/// Every refusal leaves nothing behind (no staged file, no blob, no row) and is counted with its reason.
/// </summary>
public sealed class UploadLimitTests(UploadLimitTests.LimitedApp fixture) : IClassFixture<UploadLimitTests.LimitedApp>
{
    private const int PartBytes = 100_000;

    private readonly KeepsakeApp limited = fixture.App;

    /// <summary>A server that takes photos of up to 150 kB, 250 kB per request, 3 parts per request; set up with its owner.</summary>
    public sealed class LimitedApp : IAsyncLifetime
    {
        private int _users;

        public KeepsakeApp App { get; } = new(new Dictionary<string, string?>
        {
            ["Photos:MaxUploadBytes"] = "150000",
            ["Photos:MaxRequestBytes"] = "250000",
            ["Photos:MaxFilesPerRequest"] = "3",
        });

        public async Task InitializeAsync() => Admin = await App.CreateOwnerAsync();

        public HttpClient Admin { get; private set; } = null!;

        /// <summary>A signed-in user of the test's own, so tests sharing the app do not meet.</summary>
        public Task<HttpClient> CreateUserAsync() => App.CreateUserAsync(Admin, $"user{Interlocked.Increment(ref _users)}@example.com");

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>A JPEG head padded to <see cref="PartBytes"/>: passes the format check, under the per-photo limit.</summary>
    private static byte[] JpegPart(byte fill)
    {
        var photo = File.ReadAllBytes(TestData.Photo("no-exif-casio.jpg"));
        var part = new byte[PartBytes];
        photo.CopyTo(part, 0);
        part.AsSpan(photo.Length).Fill(fill);
        return part;
    }

    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_upload_with_more_parts_than_allowed_is_refused_and_stores_nothing()
    {
        var owner = await fixture.CreateUserAsync();
        using var failures = FailureCollector(limited);
        var tiny = TestData.Photo("tiny-1x1-apple-iphone-xr.jpg");

        var response = await PhotoTestKit.UploadBytesAsync(owner,
            [.. Enumerable.Range(0, 4).Select(i => ($"tiny-{i}.jpg", PhotoTestKit.Variant(tiny, (byte)i)))]);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Too many files in one upload", problem.Title);
        Assert.Contains("at most 3 files", problem.Detail, StringComparison.Ordinal);
        await AssertNothingLeftAsync(limited, owner);
        AssertCounted(failures, "too_many_files");
    }

    [Fact]
    public async Task An_upload_declaring_more_than_the_request_cap_is_refused_before_it_is_read()
    {
        var owner = await fixture.CreateUserAsync();
        using var failures = FailureCollector(limited);

        var response = await PhotoTestKit.UploadBytesAsync(owner, ("a.jpg", JpegPart(1)), ("b.jpg", JpegPart(2)), ("c.jpg", JpegPart(3)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Upload too large", problem.Title);
        Assert.Contains("250 kB", problem.Detail, StringComparison.Ordinal);
        await AssertNothingLeftAsync(limited, owner);
        AssertCounted(failures, "request_too_large");
    }

    [Fact]
    public async Task An_upload_larger_than_the_request_cap_is_refused_before_the_rest_is_written()
    {
        var owner = await fixture.CreateUserAsync();
        using var failures = FailureCollector(limited);
        // Streamed without a length: the server only learns the size as it reads. The third part crosses 250 kB;
        // a fourth is held back and never sent unless the server waits for it.
        using var upload = new HeldUpload(
            [("a.jpg", JpegPart(1)), ("b.jpg", JpegPart(2)), ("c.jpg", JpegPart(3))],
            [("d.jpg", JpegPart(4))]);

        var response = await owner.PostAsync("/api/photos", upload).WaitAsync(AnswerWithin);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Upload too large", problem.Title);
        await AssertNothingLeftAsync(limited, owner);
        AssertCounted(failures, "request_too_large");
    }

    [Fact]
    public async Task A_bad_first_part_stops_the_request_before_the_next_part_is_staged()
    {
        var owner = await fixture.CreateUserAsync();
        using var failures = FailureCollector(limited);
        var notAPhoto = await File.ReadAllBytesAsync(TestData.Odd("text.jpg"));
        // The body stops after the bad part and goes on only when released: an answer now proves the server did not
        // read (let alone stage) the good part after it.
        using var upload = new HeldUpload([("invoice.jpg", notAPhoto)], [("good.jpg", JpegPart(5))]);

        var response = await owner.PostAsync("/api/photos", upload).WaitAsync(AnswerWithin);

        await PhotoTestKit.AssertRejectedAsync(response, HttpStatusCode.UnsupportedMediaType, "invoice.jpg");
        await AssertNothingLeftAsync(limited, owner);
        AssertCounted(failures, "unsupported_format");
    }

    [Fact]
    public async Task A_part_that_is_not_a_photo_is_refused_from_its_head_without_staging_the_rest_of_it()
    {
        var owner = await fixture.CreateUserAsync();
        // 64 bytes of text, then the rest of the part is held: the format is known from the head alone.
        var text = new byte[PartBytes];
        text.AsSpan().Fill((byte)'x');
        using var upload = new HeldUpload([("notes.jpg", text)], [], splitLastBefore: 1000);

        var response = await owner.PostAsync("/api/photos", upload).WaitAsync(AnswerWithin);

        await PhotoTestKit.AssertRejectedAsync(response, HttpStatusCode.UnsupportedMediaType, "notes.jpg");
        await AssertNothingLeftAsync(limited, owner);
    }

    [Fact]
    public async Task An_upload_when_free_space_is_below_the_margin_is_refused_with_507()
    {
        // No disk has an exabyte free: this server is always short of space.
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Photos:MinimumFreeBytes"] = "1000000000000000000" });
        var owner = await app.CreateOwnerAsync();
        using var failures = FailureCollector(app);

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Photo("no-exif-casio.jpg"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.InsufficientStorage);
        Assert.Equal("Not enough free space", problem.Title);
        Assert.Contains("disk space", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("administrator", problem.Detail, StringComparison.Ordinal);
        await AssertNothingLeftAsync(app, owner);
        AssertCounted(failures, "no_space");
    }

    [Fact]
    public async Task An_upload_within_every_limit_is_still_stored()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Photos:MaxUploadBytes"] = "150000",
            ["Photos:MaxRequestBytes"] = "250000",
            ["Photos:MaxFilesPerRequest"] = "3",
        });
        var owner = await app.CreateOwnerAsync();

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Photo("no-exif-casio.jpg"), TestData.Photo("alpha.png"), TestData.Photo("nikon-d1x.webp"));

        var upload = await PhotoTestKit.ReadUploadAsync(response, HttpStatusCode.Created);
        Assert.Equal(3, upload.Photos.Count);
        Assert.Empty(StagedUploads(app));
    }

    /// <summary>What waits in the app's staging folder besides its lock file.</summary>
    private static IEnumerable<string> StagedUploads(KeepsakeApp app) =>
        Directory.EnumerateFileSystemEntries(app.Services.GetRequiredService<UploadStaging>().Folder)
            .Where(entry => Path.GetFileName(entry) != ScratchFolder.OwnerFileName);

    private static MetricCollector<long> FailureCollector(KeepsakeApp app) =>
        new(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), KeepsakeMetrics.MeterName, KeepsakeMetrics.UploadFailures);

    private static void AssertCounted(MetricCollector<long> failures, string reason)
    {
        var measurement = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal(reason, measurement.Tags["error.type"]);
    }

    /// <summary>No blob, no photo, and no file waiting in the staging folder.</summary>
    private static async Task AssertNothingLeftAsync(KeepsakeApp app, HttpClient owner)
    {
        await PhotoTestKit.AssertNothingStoredAsync(app, owner);
        Assert.Empty(StagedUploads(app));
    }
}
