using System.Net;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>On this day: photos taken on a calendar day in earlier years, grouped by year.</summary>
public sealed class MemoriesTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly string Fujifilm = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

    private static async Task<MemoriesDto> MemoriesAsync(HttpClient client, string date) =>
        await (await client.GetAsync("/api/memories?date=" + date)).ReadAsync<MemoriesDto>();

    [Fact]
    public async Task Photos_taken_on_the_day_in_earlier_years_are_grouped_by_year_the_latest_first()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        // Taken 2002-08-24 (the Fujifilm) and 2020-05-04 (the iPhone, camera time 18:39 at -04:00, 22:39 UTC).
        var fujifilm = await KeepsakeApp.UploadPhotoAsync(owner, Fujifilm);
        var fujifilmAgain = (await (await PhotoTestKit.UploadBytesAsync(owner, ("again.jpg", PhotoTestKit.Variant(Fujifilm, 1)))).ReadAsync<UploadResponseDto>()).Photos.Single().Photo;
        var iphone = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("apple-iphone11pro.heic"));
        await KeepsakeApp.UploadPhotoAsync(stranger, TestData.Photo("apple-iphone11pro.heic"));

        var august = await MemoriesAsync(owner, "2026-08-24");
        var may = await MemoriesAsync(owner, "2030-05-04");

        Assert.Equal("2026-08-24", august.Date);
        var year = Assert.Single(august.Years);
        Assert.Equal((2002, 24), (year.Year, year.YearsAgo));
        Assert.Equal(new[] { fujifilm.Id, fujifilmAgain.Id }.Order(), year.Photos.Select(p => p.Id).Order());
        Assert.Equal([(2020, 10, iphone.Id)], may.Years.Select(y => (y.Year, y.YearsAgo, y.Photos.Single().Id)));
        Assert.Empty((await MemoriesAsync(owner, "2026-08-25")).Years);
        Assert.Empty((await MemoriesAsync(owner, "2002-08-24")).Years);
        Assert.Empty((await MemoriesAsync(await shared.NewUserAsync(), "2030-05-04")).Years);
    }

    [Fact]
    public async Task Archived_photos_and_photos_in_the_trash_are_no_memories()
    {
        var owner = await shared.NewUserAsync();
        var upload = await PhotoTestKit.UploadBytesAsync(owner, ("a.jpg", PhotoTestKit.Variant(Fujifilm, 1)), ("b.jpg", PhotoTestKit.Variant(Fujifilm, 2)), ("c.jpg", PhotoTestKit.Variant(Fujifilm, 3)));
        var photos = (await upload.ReadAsync<UploadResponseDto>()).Photos.Select(p => p.Photo.Id).ToList();
        await (await owner.PutAsync($"/api/photos/{photos[0]}/archive", null)).EnsureSuccessAsync();
        await (await owner.DeleteAsync($"/api/photos/{photos[1]}")).EnsureSuccessAsync();

        var memories = await MemoriesAsync(owner, "2026-08-24");

        Assert.Equal([photos[2]], Assert.Single(memories.Years).Photos.Select(p => p.Id));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("24.08.2026")]
    public async Task A_date_that_is_not_a_day_is_refused_with_a_clear_problem(string date)
    {
        var owner = await shared.NewUserAsync();

        var problem = await (await owner.GetAsync("/api/memories?date=" + Uri.EscapeDataString(date))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("yyyy-MM-dd", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_date_it_is_the_servers_day()
    {
        var owner = await shared.NewUserAsync();

        var memories = await (await owner.GetAsync("/api/memories")).ReadAsync<MemoriesDto>();

        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), memories.Date);
    }
}
