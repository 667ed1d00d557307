using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Photos;

/// <summary>The timeline: newest first, keyset pages that cover every photo once, and its bad parameters.</summary>
public sealed class TimelineTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly string Fujifilm = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

    [Fact]
    public async Task Timeline_lists_newest_first_by_taken_at_and_by_upload_time_when_a_photo_has_none()
    {
        var owner = await shared.NewUserAsync();
        var before = DateTime.UtcNow;
        var casio = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var fujifilm = await KeepsakeApp.UploadPhotoAsync(owner, Fujifilm);
        var gif = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("photo-hopper.gif"));
        var samsung = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-samsung-galaxy-note5.jpg"));
        var heic = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("apple-iphone11pro.heic"));
        var iphone4 = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var after = DateTime.UtcNow;

        var timeline = await PhotoTestKit.TimelineAsync(owner);

        Assert.Equal([gif.Id, casio.Id, heic.Id, samsung.Id, iphone4.Id, fujifilm.Id], timeline.Select(p => p.Id));
        var byId = timeline.ToDictionary(p => p.Id);
        // Taken-at with an offset sorts by the UTC instant: 18:39:11 at -04:00 is 22:39:11 UTC.
        Assert.Equal(new DateTime(2020, 5, 4, 22, 39, 11), byId[heic.Id].TimelineAt);
        Assert.All(timeline, p => Assert.Equal(DateTimeKind.Utc, p.TimelineAt.Kind));
        Assert.Equal("2020-05-04T18:39:11-04:00", byId[heic.Id].TakenAt);
        Assert.Equal(new DateTime(2002, 8, 24, 13, 59, 8), byId[fujifilm.Id].TimelineAt);
        Assert.Null(byId[casio.Id].TakenAt);
        Assert.InRange(byId[casio.Id].TimelineAt, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.InRange(byId[gif.Id].TimelineAt, byId[casio.Id].TimelineAt, after.AddSeconds(1));
        Assert.All(timeline, p =>
        {
            SignedUrls.AssertSigned(p.ThumbnailUrl, p.Id, "thumbnail");
            SignedUrls.AssertSigned(p.PreviewUrl, p.Id, "preview");
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(500)]
    public async Task Pages_of_a_given_limit_cover_every_photo_exactly_once_in_timeline_order(int limit)
    {
        var owner = await shared.NewUserAsync();
        // Three photos with the same taken-at: only the id can order them.
        var upload = await PhotoTestKit.UploadBytesAsync(owner,
            ("fujifilm.jpg", await File.ReadAllBytesAsync(Fujifilm)),
            ("fujifilm-1.jpg", PhotoTestKit.Variant(Fujifilm, 1)),
            ("fujifilm-2.jpg", PhotoTestKit.Variant(Fujifilm, 2)),
            ("casio.jpg", await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"))),
            ("alpha.png", await File.ReadAllBytesAsync(TestData.Photo("alpha.png"))),
            ("samsung.jpg", await File.ReadAllBytesAsync(TestData.Photo("gps-samsung-galaxy-note5.jpg"))),
            ("tiny.jpg", await File.ReadAllBytesAsync(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"))),
            ("nikon.webp", await File.ReadAllBytesAsync(TestData.Photo("nikon-d1x.webp"))));
        var uploaded = await PhotoTestKit.ReadUploadAsync(upload, HttpStatusCode.Created);
        var all = await PhotoTestKit.TimelineAsync(owner);

        var pages = await PhotoTestKit.AllPagesAsync(owner, limit);

        Assert.Equal(8, all.Count);
        Assert.Equal(uploaded.Photos.Select(p => p.Photo.Id).Order(), all.Select(p => p.Id).Order());
        Assert.Equal(all.Select(p => p.Id), pages.SelectMany(p => p.Items).Select(p => p.Id));
        Assert.Equal((8 + limit - 1) / limit, pages.Count);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(limit, p.Items.Count));
        Assert.All(pages.SkipLast(1), p => Assert.NotNull(p.NextCursor));
        Assert.Null(pages[^1].NextCursor);
        Assert.Equal(3, all.Count(p => p.TakenAt == "2002-08-24T13:59:08"));
    }

    [Fact]
    public async Task Paging_stays_stable_when_photos_are_uploaded_between_pages()
    {
        var owner = await shared.NewUserAsync();
        var upload = await PhotoTestKit.UploadBytesAsync(owner,
            ("fujifilm.jpg", await File.ReadAllBytesAsync(Fujifilm)),
            ("fujifilm-1.jpg", PhotoTestKit.Variant(Fujifilm, 1)),
            ("fujifilm-2.jpg", PhotoTestKit.Variant(Fujifilm, 2)),
            ("iphone4.jpg", await File.ReadAllBytesAsync(TestData.Photo("gps-apple-iphone4.jpg"))),
            ("samsung.jpg", await File.ReadAllBytesAsync(TestData.Photo("gps-samsung-galaxy-note5.jpg"))),
            ("casio.jpg", await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"))));
        var before = (await PhotoTestKit.ReadUploadAsync(upload, HttpStatusCode.Created)).Photos.Select(p => p.Photo.Id).ToList();
        var first = await PhotoTestKit.PageAsync(owner, 2);

        // Newer than the first page (never seen by this walk), and one as old as the oldest (still ahead of the cursor).
        var newer = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("photo-hopper.gif"));
        var newerTaken = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var sameAsOldest = (await PhotoTestKit.ReadUploadAsync(
            await PhotoTestKit.UploadBytesAsync(owner, ("fujifilm-3.jpg", PhotoTestKit.Variant(Fujifilm, 3))), HttpStatusCode.Created)).Photos[0].Photo;
        var rest = new List<PhotoSummaryDto>();
        for (var cursor = first.NextCursor; cursor is not null;)
        {
            var page = await PhotoTestKit.PageAsync(owner, 2, cursor);
            rest.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        var seen = first.Items.Concat(rest).Select(p => p.Id).ToList();
        Assert.Equal(seen.Distinct(), seen);
        Assert.Equal([.. before, sameAsOldest.Id], seen.Order());
        Assert.DoesNotContain(newer.Id, seen);
        Assert.DoesNotContain(newerTaken.Id, seen);
        var now = await PhotoTestKit.TimelineAsync(owner);
        Assert.Equal(now.Select(p => p.Id).Where(seen.Contains), seen);
    }

    [Fact]
    public async Task A_cursor_stays_valid_after_the_photo_it_points_at_is_deleted()
    {
        var owner = await shared.NewUserAsync();
        var upload = await PhotoTestKit.UploadBytesAsync(owner,
            ("fujifilm.jpg", await File.ReadAllBytesAsync(Fujifilm)),
            ("fujifilm-1.jpg", PhotoTestKit.Variant(Fujifilm, 1)),
            ("fujifilm-2.jpg", PhotoTestKit.Variant(Fujifilm, 2)),
            ("iphone4.jpg", await File.ReadAllBytesAsync(TestData.Photo("gps-apple-iphone4.jpg"))),
            ("samsung.jpg", await File.ReadAllBytesAsync(TestData.Photo("gps-samsung-galaxy-note5.jpg"))));
        await PhotoTestKit.ReadUploadAsync(upload, HttpStatusCode.Created);
        var all = (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id).ToList();
        var first = await PhotoTestKit.PageAsync(owner, 2);
        (await owner.DeleteAsync($"/api/photos/{first.Items[^1].Id}")).EnsureSuccessStatusCode();

        var rest = await PhotoTestKit.PageAsync(owner, 10, first.NextCursor);

        Assert.Equal(all.Skip(2), rest.Items.Select(p => p.Id));
        Assert.Null(rest.NextCursor);
    }

    public static TheoryData<string> MalformedCursors => new()
    {
        "not-a-cursor",
        "%%%",
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes("12345")),
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes("12345:not-a-guid")),
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"-5:{Guid.NewGuid():N}")),
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{long.MaxValue}:{Guid.NewGuid():N}")),
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"1:{Guid.NewGuid():N}:2")),
        new string('A', 400),
    };

    [Theory]
    [MemberData(nameof(MalformedCursors))]
    public async Task A_malformed_cursor_is_a_400_problem(string cursor)
    {
        var owner = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));

        var response = await owner.GetAsync("/api/photos?limit=1&cursor=" + Uri.EscapeDataString(cursor));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("cursor", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(501)]
    public async Task A_limit_outside_1_to_500_is_a_400_problem(int limit)
    {
        var owner = await shared.NewUserAsync();

        var response = await owner.GetAsync($"/api/photos?limit={limit}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("limit", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public async Task A_limit_at_either_end_of_the_range_is_accepted(int limit)
    {
        var owner = await shared.NewUserAsync();
        await (await KeepsakeApp.UploadAsync(owner, TestData.Photo("alpha.png"), TestData.Photo("no-exif-casio.jpg"))).EnsureSuccessAsync();

        var page = await PhotoTestKit.PageAsync(owner, limit);

        Assert.Equal(Math.Min(limit, 2), page.Items.Count);
        Assert.Equal(limit < 2, page.NextCursor is not null);
    }

    [Fact]
    public async Task The_timeline_shows_only_the_signed_in_users_photos()
    {
        var owner = await shared.NewUserAsync();
        var user = await shared.NewUserAsync(shared.NewEmail("user"));
        var ownersPhoto = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png"));
        var usersPhoto = await KeepsakeApp.UploadPhotoAsync(user, TestData.Photo("no-exif-casio.jpg"));

        Assert.Equal(ownersPhoto.Id, Assert.Single(await PhotoTestKit.TimelineAsync(owner)).Id);
        Assert.Equal(usersPhoto.Id, Assert.Single(await PhotoTestKit.TimelineAsync(user)).Id);
    }

    [Fact]
    public async Task Month_buckets_list_the_views_months_newest_first_with_counts_that_add_up_to_its_photos()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(other, Fujifilm);
        var fujifilm = await KeepsakeApp.UploadPhotoAsync(owner, Fujifilm);
        var fujifilmAgain = await PhotoTestKit.UploadBytesAsync(owner, ("again.jpg", PhotoTestKit.Variant(Fujifilm, 1)));
        await fujifilmAgain.EnsureSuccessAsync();
        var heic = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("apple-iphone11pro.heic"));
        var undated = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var thisMonth = (await PhotoTestKit.TimelineAsync(owner)).Single(p => p.Id == undated.Id).TimelineAt.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var buckets = await BucketsAsync(owner, "");

        Assert.Equal([(thisMonth, 1), ("2020-05", 1), ("2002-08", 2)], buckets.Select(b => (b.Month, b.Count)));
        Assert.Equal((await PhotoTestKit.TimelineAsync(owner)).Count, buckets.Sum(b => b.Count));

        await (await owner.PutAsync($"/api/photos/{heic.Id}/archive", null)).EnsureSuccessAsync();
        await (await owner.PutAsync($"/api/photos/{fujifilm.Id}/favorite", null)).EnsureSuccessAsync();
        Assert.Equal([(thisMonth, 1), ("2002-08", 2)], (await BucketsAsync(owner, "")).Select(b => (b.Month, b.Count)));
        Assert.Equal([("2020-05", 1)], (await BucketsAsync(owner, "?archived=true")).Select(b => (b.Month, b.Count)));
        Assert.Equal([("2002-08", 1)], (await BucketsAsync(owner, "?favorite=true")).Select(b => (b.Month, b.Count)));
        Assert.Empty(await BucketsAsync(await shared.NewUserAsync(), ""));
    }

    [Fact]
    public async Task A_photo_on_the_last_tick_of_a_month_counts_in_that_month_and_one_on_the_first_instant_in_the_next()
    {
        var owner = await shared.NewUserAsync();
        var uploaded = await PhotoTestKit.UploadBytesAsync(owner,
            ("a.jpg", PhotoTestKit.Variant(Fujifilm, 1)), ("b.jpg", PhotoTestKit.Variant(Fujifilm, 2)), ("c.jpg", PhotoTestKit.Variant(Fujifilm, 3)));
        await PhotoTestKit.ReadUploadAsync(uploaded, HttpStatusCode.Created);
        var ids = (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id).ToList();
        DateTime[] at =
        [
            new DateTime(2023, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(TimeSpan.TicksPerSecond - 1),
            new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1),
        ];
        await using (var scope = shared.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
            for (var i = 0; i < ids.Count; i++)
            {
                await db.Photos.Where(p => p.Id == ids[i]).ExecuteUpdateAsync(set => set.SetProperty(p => p.TimelineAt, at[i]));
            }
        }

        Assert.Equal([("2024-02", 1), ("2024-01", 1), ("2023-12", 1)], (await BucketsAsync(owner, "")).Select(b => (b.Month, b.Count)));
    }

    private static async Task<List<TimelineBucketDto>> BucketsAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/timeline/buckets" + query)).ReadAsync<List<TimelineBucketDto>>();
}
