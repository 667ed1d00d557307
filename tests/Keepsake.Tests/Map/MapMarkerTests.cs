using System.Net;
using Keepsake.Map;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Map;

/// <summary>The map's markers: the signed-in user's photos with a place, in the main timeline, filtered by a box and by days.</summary>
public sealed class MapMarkerTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Markers_are_the_photos_with_a_place_where_their_files_put_them()
    {
        var owner = await shared.NewUserAsync();
        var rome = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var paris = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("orientation-1-landscape.jpg"));

        var page = await MapTestKit.MarkersAsync(owner);

        // Newest first: the iPhone's 2011 photo, then the Fujifilm's of 2002.
        Assert.Equal([new MapMarkerDto(rome.Id, 41.853, 12.488833), new MapMarkerDto(paris.Id, 48.857833, 2.297)], page.Markers);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task The_answer_is_compact_json_with_short_names()
    {
        var owner = await shared.NewUserAsync();
        var rome = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

        var json = await (await owner.GetAsync("/api/map/markers")).Content.ReadAsStringAsync();

        Assert.Equal($$"""{"markers":[{"id":"{{rome.Id}}","lat":41.853,"lon":12.488833}],"nextCursor":null}""", json);
    }

    [Fact]
    public async Task Photos_in_the_trash_or_the_archive_are_not_on_the_map_and_come_back_with_them()
    {
        var owner = await shared.NewUserAsync();
        var rome = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var paris = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var florida = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-samsung-galaxy-note5.jpg"));
        await (await owner.DeleteAsync($"/api/photos/{rome.Id}")).EnsureSuccessAsync();
        await (await owner.PutAsync($"/api/photos/{paris.Id}/archive", null)).EnsureSuccessAsync();

        var hidden = await MapTestKit.MarkersAsync(owner);
        await (await owner.PostAsync("/api/trash/restore", System.Net.Http.Json.JsonContent.Create(new { photoIds = new[] { rome.Id } }))).EnsureSuccessAsync();
        await (await owner.DeleteAsync($"/api/photos/{paris.Id}/archive")).EnsureSuccessAsync();
        var back = await MapTestKit.MarkersAsync(owner);

        Assert.Equal([florida.Id], hidden.Markers.Select(m => m.Id));
        Assert.Equal(new[] { rome.Id, paris.Id, florida.Id }.Order(), back.Markers.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task Another_users_photos_are_never_on_the_map()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var mine = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var theirs = await KeepsakeApp.UploadPhotoAsync(stranger, TestData.Photo("gps-apple-iphone4.jpg"));

        var myMarkers = await MapTestKit.MarkersAsync(owner);
        var theirMarkers = await MapTestKit.MarkersAsync(stranger, "?bbox=-180,-90,180,90");
        var theirPhotos = await (await stranger.GetAsync($"/api/map/photos?id={mine.Id}&id={theirs.Id}")).ReadAsync<MapPhotosDto>();

        Assert.Equal([mine.Id], myMarkers.Markers.Select(m => m.Id));
        Assert.Equal([theirs.Id], theirMarkers.Markers.Select(m => m.Id));
        Assert.Equal([theirs.Id], theirPhotos.Items.Select(p => p.Id));
        Assert.Empty((await MapTestKit.MarkersAsync(await shared.NewUserAsync())).Markers);
    }

    [Fact]
    public async Task A_bounding_box_keeps_the_photos_inside_it_also_across_the_antimeridian()
    {
        var owner = await shared.NewUserAsync();
        var fiji = await MapTestKit.UploadTakenAtAsync(owner, _folder, "fiji", -17.5, 179.5, "2020:01:01 10:00:00");
        var samoa = await MapTestKit.UploadTakenAtAsync(owner, _folder, "samoa", -13.8, -172.1, "2020:01:02 10:00:00");
        var greenwich = await MapTestKit.UploadTakenAtAsync(owner, _folder, "greenwich", 51.4769, -0.0005, "2020:01:03 10:00:00");
        var rome = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

        async Task<Guid[]> InsideAsync(string bbox) => [.. (await MapTestKit.MarkersAsync(owner, "?bbox=" + bbox)).Markers.Select(m => m.Id).Order()];

        Assert.Equal(new[] { fiji.Id, samoa.Id }.Order(), await InsideAsync("170,-30,-170,0"));
        Assert.Equal([fiji.Id], await InsideAsync("179,-18,-179,-17"));
        Assert.Equal(new[] { greenwich.Id, rome.Id }.Order(), await InsideAsync("-10,35,20,60"));
        Assert.Equal([rome.Id], await InsideAsync("12.488833,41.853,12.488833,41.853"));
        Assert.Equal(new[] { fiji.Id, samoa.Id, greenwich.Id, rome.Id }.Order(), await InsideAsync("-180,-90,180,90"));
        Assert.Empty(await InsideAsync("-170,-30,170,-10"));
    }

    [Fact]
    public async Task A_date_range_keeps_the_photos_of_its_days_both_included()
    {
        var owner = await shared.NewUserAsync();
        var first = await MapTestKit.UploadTakenAtAsync(owner, _folder, "first", 10, 10, "2019:07:13 23:59:59");
        var second = await MapTestKit.UploadTakenAtAsync(owner, _folder, "second", 10, 10, "2019:07:14 00:00:00");
        var third = await MapTestKit.UploadTakenAtAsync(owner, _folder, "third", 10, 10, "2019:07:15 12:00:00");

        async Task<Guid[]> BetweenAsync(string query) => [.. (await MapTestKit.MarkersAsync(owner, query)).Markers.Select(m => m.Id)];

        Assert.Equal([second.Id], await BetweenAsync("?from=2019-07-14&to=2019-07-14"));
        Assert.Equal([third.Id, second.Id], await BetweenAsync("?from=2019-07-14"));
        Assert.Equal([second.Id, first.Id], await BetweenAsync("?to=2019-07-14"));
        Assert.Equal([third.Id], await BetweenAsync("?from=2019-07-15&bbox=0,0,20,20"));
        Assert.Empty(await BetweenAsync("?from=2019-07-15&bbox=0,20,20,30"));
    }

    [Fact]
    public async Task Pages_of_markers_follow_each_other_newest_first_until_the_last()
    {
        var owner = await shared.NewUserAsync();
        var photos = new List<Guid>();
        for (var day = 1; day <= 5; day++)
        {
            photos.Add((await MapTestKit.UploadTakenAtAsync(owner, _folder, $"day-{day}", 45, day, $"2021:03:0{day} 08:00:00")).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await MapTestKit.MarkersAsync(owner, "?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.Markers.Select(m => m.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(photos), seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("bbox=1,2,3", "bbox")]
    [InlineData("bbox=west,0,10,10", "west")]
    [InlineData("bbox=-190,0,10,10", "-180 to 180")]
    [InlineData("bbox=0,-95,10,10", "-90 to 90")]
    [InlineData("bbox=0,20,10,10", "south")]
    [InlineData("bbox=1e3,0,10,10", "west")]
    [InlineData("from=2019-13-01", "'from'")]
    [InlineData("to=14.07.2019", "'to'")]
    [InlineData("from=2019-07-15&to=2019-07-14", "after 'to'")]
    [InlineData("limit=0", "'limit'")]
    [InlineData("limit=20001", "'limit'")]
    [InlineData("limit=ten", "'limit'")]
    [InlineData("cursor=not-a-cursor", "'cursor'")]
    public async Task A_bad_parameter_is_refused_with_a_problem_that_names_it(string query, string named)
    {
        var owner = await shared.NewUserAsync();

        var problem = await (await owner.GetAsync("/api/map/markers?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(named, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_photos_of_markers_come_with_their_thumbnails_and_only_if_they_are_on_the_map()
    {
        var owner = await shared.NewUserAsync();
        var rome = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var paris = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        var nowhere = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        await (await owner.DeleteAsync($"/api/photos/{paris.Id}")).EnsureSuccessAsync();

        var photos = await (await owner.GetAsync($"/api/map/photos?id={rome.Id}&id={paris.Id}&id={nowhere.Id}&id={Guid.NewGuid()}")).ReadAsync<MapPhotosDto>();
        var tooMany = await owner.GetAsync("/api/map/photos?" + string.Join('&', Enumerable.Range(0, MapApi.MaxPhotos + 1).Select(_ => $"id={Guid.NewGuid()}")));

        var photo = Assert.Single(photos.Items);
        Assert.Equal(rome.Id, photo.Id);
        await (await owner.GetAsync(photo.ThumbnailUrl)).EnsureSuccessAsync();
        Assert.Contains("at most 100", (await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
    }
}
