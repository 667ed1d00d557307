using System.Globalization;
using System.Net;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>One month of the timeline (<c>?month=yyyy-MM</c>): the photos of a month bucket, paged, and nobody else's.</summary>
public sealed class TimelineMonthTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly string Fujifilm = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

    [Fact]
    public async Task The_months_of_the_buckets_together_are_the_whole_timeline_in_its_order()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(other, Fujifilm);
        await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("no-exif-casio.jpg"));
        var upload = await PhotoTestKit.UploadBytesAsync(owner,
            ("fujifilm.jpg", await File.ReadAllBytesAsync(Fujifilm)),
            ("fujifilm-1.jpg", PhotoTestKit.Variant(Fujifilm, 1)),
            ("fujifilm-2.jpg", PhotoTestKit.Variant(Fujifilm, 2)),
            ("heic.heic", await File.ReadAllBytesAsync(TestData.Photo("apple-iphone11pro.heic"))),
            ("casio.jpg", await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"))));
        await PhotoTestKit.ReadUploadAsync(upload, HttpStatusCode.Created);
        var timeline = await PhotoTestKit.TimelineAsync(owner);
        var buckets = await (await owner.GetAsync("/api/timeline/buckets")).ReadAsync<List<TimelineBucketDto>>();

        var byMonth = new List<PhotoSummaryDto>();
        foreach (var bucket in buckets)
        {
            var month = await MonthAsync(owner, bucket.Month, limit: 2);
            Assert.Equal(bucket.Count, month.Count);
            Assert.All(month, p => Assert.Equal(bucket.Month, p.TimelineAt.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
            byMonth.AddRange(month);
        }

        Assert.Equal(3, buckets.Count);
        Assert.Equal(timeline.Select(p => p.Id), byMonth.Select(p => p.Id));
        Assert.Equal(3, (await MonthAsync(owner, "2002-08", limit: 1)).Count);
    }

    [Fact]
    public async Task A_month_without_photos_is_empty_and_another_users_month_is_never_shown()
    {
        var owner = await shared.NewUserAsync();
        var other = await shared.NewUserAsync();
        var othersPhoto = await KeepsakeApp.UploadPhotoAsync(other, Fujifilm);

        Assert.Empty(await MonthAsync(owner, "2002-08", limit: 100));
        Assert.Empty(await MonthAsync(owner, "1999-01", limit: 100));
        Assert.Equal(othersPhoto.Id, Assert.Single(await MonthAsync(other, "2002-08", limit: 100)).Id);
    }

    [Fact]
    public async Task A_month_keeps_the_views_filters()
    {
        var owner = await shared.NewUserAsync();
        var fujifilm = await KeepsakeApp.UploadPhotoAsync(owner, Fujifilm);
        var again = (await PhotoTestKit.ReadUploadAsync(
            await PhotoTestKit.UploadBytesAsync(owner, ("again.jpg", PhotoTestKit.Variant(Fujifilm, 1))), HttpStatusCode.Created)).Photos[0].Photo;
        await (await owner.PutAsync($"/api/photos/{fujifilm.Id}/archive", null)).EnsureSuccessAsync();

        Assert.Equal(again.Id, Assert.Single(await MonthAsync(owner, "2002-08", limit: 100)).Id);
        Assert.Equal(fujifilm.Id, Assert.Single(await MonthAsync(owner, "2002-08", limit: 100, "&archived=true")).Id);
    }

    [Theory]
    [InlineData("2024-13")]
    [InlineData("2024-7")]
    [InlineData("2024-07-01")]
    [InlineData("July")]
    [InlineData("")]
    public async Task A_month_that_is_not_yyyy_MM_is_refused_with_a_problem_naming_the_parameter(string month)
    {
        var owner = await shared.NewUserAsync();

        var response = await owner.GetAsync("/api/photos?month=" + Uri.EscapeDataString(month));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'month'", problem.Detail ?? "", StringComparison.Ordinal);
    }

    /// <summary>Every page of one month, following <c>nextCursor</c> to its end.</summary>
    private static async Task<List<PhotoSummaryDto>> MonthAsync(HttpClient client, string month, int limit, string filters = "")
    {
        var photos = new List<PhotoSummaryDto>();
        string? cursor = null;
        do
        {
            var url = $"/api/photos?month={month}&limit={limit.ToString(CultureInfo.InvariantCulture)}{filters}"
                + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await client.GetAsync(url)).ReadAsync<PhotoPageDto>();
            photos.AddRange(page.Items);
            cursor = page.NextCursor;
            Assert.True(photos.Count <= 1000, "The month does not end.");
        }
        while (cursor is not null);
        return photos;
    }
}
