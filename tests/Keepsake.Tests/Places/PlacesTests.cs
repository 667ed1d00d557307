using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Photos.Places;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Places;

/// <summary>Places: each photo with GPS is named for where it was taken, offline; the Places view lists them by country and city.</summary>
public sealed class PlacesTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    /// <summary>The real places of the test photos with GPS (MANIFEST.tsv gives their coordinates).</summary>
    public static readonly IReadOnlyDictionary<string, PlaceDto> RealPlaces = new Dictionary<string, PlaceDto>
    {
        ["gps-apple-iphone4.jpg"] = new("Rome", "Lazio", "Italy"),
        ["gps-fujifilm-finepix-s2pro.jpg"] = new("Paris", "Île-de-France", "France"),
        ["gps-samsung-galaxy-note5.jpg"] = new("Lantana", "Florida", "United States"),
        ["apple-iphone-x-orientation-6-gps.webp"] = new("Sunnyvale", "California", "United States"),
        // By Lake Vrana on the Dalmatian coast, between the village of Drage and the town of Pakoštane.
        ["tiny-1x1-apple-iphone-xr.jpg"] = new("Drage", "Zadar", "Croatia"),
    };

    private static readonly string Rome = TestData.Photo("gps-apple-iphone4.jpg");
    private static readonly string Paris = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");
    private static readonly string Sunnyvale = TestData.Photo("apple-iphone-x-orientation-6-gps.webp");

    public static TheoryData<string> PhotosWithGps() =>
        [.. TestData.Manifest(TestData.PhotosFolder).Where(row => row["has_gps"] == "true").Select(row => row["file"])];

    [Theory]
    [MemberData(nameof(PhotosWithGps))]
    public async Task A_photo_with_GPS_is_named_for_the_real_place_it_was_taken_in(string file)
    {
        var owner = await shared.NewUserAsync();
        Assert.True(RealPlaces.ContainsKey(file), $"{file} has GPS in MANIFEST.tsv: add its real place to {nameof(RealPlaces)}");

        var uploaded = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(file));
        var details = await (await owner.GetAsync($"/api/photos/{uploaded.Id}")).ReadAsync<PhotoDetailsDto>();

        Assert.Equal(RealPlaces[file], uploaded.Place);
        Assert.Equal(RealPlaces[file], details.Place);
    }

    [Fact]
    public async Task A_photo_without_GPS_has_no_place_and_is_in_no_place()
    {
        var owner = await shared.NewUserAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));

        Assert.Null(photo.Place);
        Assert.Null((await (await owner.GetAsync($"/api/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>()).Place);
        Assert.Empty((await PlacesAsync(owner)).Items);
    }

    [Fact]
    public async Task The_places_count_the_owners_photos_by_city_and_leave_out_the_trash_the_archive_and_other_users_photos()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var upload = await PhotoTestKit.UploadBytesAsync(owner,
            ("rome-1.jpg", PhotoTestKit.Variant(Rome, 1)), ("rome-2.jpg", PhotoTestKit.Variant(Rome, 2)), ("rome-3.jpg", PhotoTestKit.Variant(Rome, 3)),
            ("rome-4.jpg", PhotoTestKit.Variant(Rome, 4)), ("paris.jpg", File.ReadAllBytes(Paris)), ("sunnyvale.webp", File.ReadAllBytes(Sunnyvale)),
            ("no-gps.jpg", File.ReadAllBytes(TestData.Photo("no-exif-casio.jpg"))));
        var photos = (await PhotoTestKit.ReadUploadAsync(upload, HttpStatusCode.Created)).Photos.ToDictionary(p => p.FileName, p => p.Photo.Id);
        await KeepsakeApp.UploadPhotoAsync(stranger, Paris);
        await (await owner.DeleteAsync($"/api/photos/{photos["rome-1.jpg"]}")).EnsureSuccessAsync();
        await (await owner.PutAsync($"/api/photos/{photos["rome-2.jpg"]}/archive", null)).EnsureSuccessAsync();

        var places = (await PlacesAsync(owner)).Items;

        Assert.Equal(
            [("FR", "France", "Paris", 1), ("IT", "Italy", "Rome", 2), ("US", "United States", "Sunnyvale", 1)],
            places.Select(p => (p.CountryCode, p.Country, p.City, p.Count)));
        Assert.Equal(4, places.Sum(p => p.Count));
        Assert.Equal(photos["rome-4.jpg"], places[1].Cover.Id);
        Assert.Equal(photos["paris.jpg"], places[0].Cover.Id);
        Assert.Equal([("Paris", 1)], (await PlacesAsync(stranger)).Items.Select(p => (p.City, p.Count)));
    }

    [Fact]
    public async Task The_places_come_a_page_at_a_time_in_order_of_country_then_city()
    {
        var owner = await shared.NewUserAsync();
        foreach (var file in RealPlaces.Keys)
        {
            await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(file));
        }

        var seen = new List<PlaceSummaryDto>();
        string? cursor = null;
        do
        {
            var page = await PlacesAsync(owner, $"?limit=2{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["Croatia/Drage", "France/Paris", "Italy/Rome", "United States/Lantana", "United States/Sunnyvale"],
            seen.Select(p => $"{p.Country}/{p.City}"));
        Assert.Equal("Florida", seen[3].Region);
    }

    [Fact]
    public async Task A_place_lists_its_photos_newest_first_a_page_at_a_time_and_only_the_owners()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        await (await PhotoTestKit.UploadBytesAsync(owner,
            ("a.jpg", PhotoTestKit.Variant(Rome, 1)), ("b.jpg", PhotoTestKit.Variant(Rome, 2)), ("c.jpg", PhotoTestKit.Variant(Rome, 3)),
            ("paris.jpg", File.ReadAllBytes(Paris)))).EnsureSuccessAsync();
        await KeepsakeApp.UploadPhotoAsync(stranger, Rome);
        var timeline = await PhotoTestKit.TimelineAsync(owner);

        var first = await owner.GetPageAsync("/api/places/photos?country=IT&region=Lazio&city=Rome&limit=2");
        var second = await owner.GetPageAsync($"/api/places/photos?country=it&city=Rome&limit=2&cursor={Uri.EscapeDataString(first.NextCursor!)}");

        var listed = first.Items.Concat(second.Items).ToList();
        Assert.Equal(3, listed.Count);
        Assert.Null(second.NextCursor);
        Assert.Equal(timeline.Where(p => listed.Any(l => l.Id == p.Id)).Select(p => p.Id), listed.Select(p => p.Id));
        Assert.Empty((await owner.GetPageAsync("/api/places/photos?country=IT&region=Tuscany&city=Rome")).Items);
        Assert.Single((await stranger.GetPageAsync("/api/places/photos?country=IT&city=Rome")).Items);
    }

    [Theory]
    [InlineData("/api/places?limit=0", "Invalid page size")]
    [InlineData("/api/places?cursor=not-a-cursor", "Invalid cursor")]
    [InlineData("/api/places/photos?city=Rome", "Invalid country")]
    [InlineData("/api/places/photos?country=ITA&city=Rome", "Invalid country")]
    [InlineData("/api/places/photos?country=1T&city=Rome", "Invalid country")]
    [InlineData("/api/places/photos?country=IT", "Invalid city")]
    [InlineData("/api/places/photos?country=IT&city=%20", "Invalid city")]
    [InlineData("/api/places/photos?country=IT&city=Rome&cursor=nope", "Invalid cursor")]
    [InlineData("/api/places/photos?country=IT&city=Rome&limit=501", "Invalid page size")]
    public async Task A_bad_query_is_a_problem_that_says_what_is_wrong(string url, string title)
    {
        var owner = await shared.NewUserAsync();

        var problem = await (await owner.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(title, problem.Title);
    }

    [Fact]
    public async Task A_share_link_without_the_location_does_not_give_away_the_place_either()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, Rome);
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var visitor = shared.App.CreateUserClient();

        foreach (var includeLocation in new[] { false, true })
        {
            var share = await (await owner.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, null, includeLocation))).ReadAsync<CreatedShareDto>();
            var seen = await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();
            Assert.Equal(includeLocation ? RealPlaces["gps-apple-iphone4.jpg"] : null, seen.Place);
        }
    }

    private static async Task<PlacePageDto> PlacesAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/places" + query)).ReadAsync<PlacePageDto>();
}
