using System.Net;
using System.Net.Http.Json;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Search;

/// <summary>What search matches: every field, dates, filters, and only the owner's photos outside the trash.</summary>
public sealed class SearchTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Search_finds_a_photo_by_the_city_region_and_country_it_was_taken_in_with_or_without_accents()
    {
        var owner = await shared.NewUserAsync();
        var (paris, rome) = ((await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0], (await owner.UploadNamedAsync(SearchTestKit.IPhone, "b.jpg"))[0]);

        Assert.Equal([paris], await owner.SearchForAsync("paris"));
        Assert.Equal([paris], await owner.SearchForAsync("FRANCE"));
        Assert.Equal([paris], await owner.SearchForAsync("île-de-france"));
        Assert.Equal([paris], await owner.SearchForAsync("ile"));
        Assert.Equal([rome], await owner.SearchForAsync("rome lazio italy"));
        Assert.Empty(await owner.SearchForAsync("rome paris"));
    }

    [Fact]
    public async Task Search_finds_a_photo_by_its_camera_make_model_and_lens_and_by_the_start_of_a_word()
    {
        var owner = await shared.NewUserAsync();
        var kodak = (await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("large-4608x3456-kodak-pixpro.jpg"))).Id;
        var lensFile = await ExifTool.CopyWithAsync(SearchTestKit.Fujifilm, Path.Combine(Path.GetTempPath(), $"lens-{Guid.NewGuid():N}.jpg"), "-LensModel=Summicron 35mm f/2");
        try
        {
            var withLens = (await KeepsakeApp.UploadPhotoAsync(owner, lensFile)).Id;

            Assert.Equal([kodak], await owner.SearchForAsync("fz201"));
            Assert.Equal([kodak], await owner.SearchForAsync("kod"));
            Assert.Equal([kodak], await owner.SearchForAsync("Kodak PixPro"));
            Assert.Equal([withLens], await owner.SearchForAsync("summicron"));
            Assert.Equal([withLens], await owner.SearchForAsync("finepix"));
            Assert.Empty(await owner.SearchForAsync("odak"));
        }
        finally
        {
            File.Delete(lensFile);
        }
    }

    [Fact]
    public async Task Search_finds_a_photo_by_its_file_name_description_and_album_name()
    {
        var owner = await shared.NewUserAsync();
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "IMG_birthday_cake.jpg", "b.jpg", "c.jpg");
        await owner.DescribeAsync(ids[1], "Grandma's garden in bloom");
        await owner.AddToAlbumAsync((await owner.CreateAlbumAsync("Crème brûlée evening")).Id, ids[2]);

        Assert.Equal([ids[0]], await owner.SearchForAsync("birthday"));
        Assert.Equal([ids[0]], await owner.SearchForAsync("img_birth"));
        Assert.Equal([ids[1]], await owner.SearchForAsync("GARDEN grandma"));
        Assert.Equal([ids[2]], await owner.SearchForAsync("creme brulee"));
        Assert.Equal([ids[2]], await owner.SearchForAsync("crème"));
    }

    [Theory]
    [InlineData("2002")]
    [InlineData("august 2002")]
    [InlineData("aug 2002")]
    [InlineData("2002-08")]
    [InlineData("2002-08-24")]
    [InlineData("paris 2002")]
    [InlineData("2002 Paris")]
    public async Task A_date_in_the_search_is_a_range_of_the_day_taken(string q)
    {
        var owner = await shared.NewUserAsync();
        var paris = (await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0];
        await owner.UploadNamedAsync(SearchTestKit.IPhone, "b.jpg");

        Assert.Equal([paris], await owner.SearchForAsync(q));
    }

    [Theory]
    [InlineData("2003")]
    [InlineData("july 2002")]
    [InlineData("2002-08-25")]
    [InlineData("rome 2002")]
    [InlineData("2002 2011")]
    public async Task A_date_the_photo_was_not_taken_in_finds_nothing(string q)
    {
        var owner = await shared.NewUserAsync();
        await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg");
        await owner.UploadNamedAsync(SearchTestKit.IPhone, "b.jpg");

        Assert.Empty(await owner.SearchForAsync(q));
    }

    [Fact]
    public async Task Filters_narrow_a_search_and_may_stand_alone()
    {
        var owner = await shared.NewUserAsync();
        var paris = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg", "b.jpg");
        var rome = (await owner.UploadNamedAsync(SearchTestKit.IPhone, "c.jpg"))[0];
        await (await owner.PutAsync($"/api/photos/{paris[0]}/favorite", null)).EnsureSuccessAsync();
        await (await owner.PutAsync($"/api/photos/{rome}/favorite", null)).EnsureSuccessAsync();
        var album = await owner.AddToAlbumAsync((await owner.CreateAlbumAsync("Trip")).Id, paris[1], rome);

        Assert.Equal([paris[0]], await owner.SearchAsync("q=paris&favorite=true"));
        Assert.Equal([paris[1]], await owner.SearchAsync("q=paris&favorite=false"));
        Assert.Equal([rome, paris[0]], await owner.SearchAsync("favorite=true"));
        Assert.Equal([paris[1]], await owner.SearchAsync($"q=paris&album={album.Id}"));
        Assert.Equal([rome, paris[1]], await owner.SearchAsync($"album={album.Id}"));
        Assert.Equal([paris[1], paris[0]], await owner.SearchAsync("from=2002-08-24&to=2002-08-24"));
        Assert.Equal([rome], await owner.SearchAsync("from=2002-08-25"));
        Assert.Equal([paris[1], paris[0]], await owner.SearchAsync("q=fujifilm&to=2010-01-01&type=photo"));
        Assert.Empty(await owner.SearchAsync("q=2011&to=2010-01-01"));
    }

    [Fact]
    public async Task Archived_photos_are_found_and_photos_in_the_trash_are_not()
    {
        var owner = await shared.NewUserAsync();
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg", "b.jpg");
        await (await owner.PutAsync($"/api/photos/{ids[0]}/archive", null)).EnsureSuccessAsync();
        await (await owner.DeleteAsync($"/api/photos/{ids[1]}")).EnsureSuccessAsync();

        Assert.Equal([ids[0]], await owner.SearchForAsync("paris"));

        await (await owner.PostAsJsonAsync("/api/trash/restore", new { photoIds = new[] { ids[1] } })).EnsureSuccessAsync();
        Assert.Equal([ids[1], ids[0]], await owner.SearchForAsync("paris"));
    }

    [Fact]
    public async Task Search_finds_only_the_signed_in_users_photos_and_another_users_album_is_not_found()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var mine = (await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0];
        var theirs = (await stranger.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0];
        var theirAlbum = await stranger.AddToAlbumAsync((await stranger.CreateAlbumAsync("Paris")).Id, theirs);

        Assert.Equal([mine], await owner.SearchForAsync("paris"));
        Assert.Equal([theirs], await stranger.SearchForAsync("paris"));
        await (await owner.GetAsync($"/api/search?q=paris&album={theirAlbum.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/search?album={Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("", "Nothing to search for")]
    [InlineData("?q=", "Nothing to search for")]
    [InlineData("?q=%20%20%20", "Nothing to search for")]
    [InlineData("?q=paris&type=video", "Invalid type")]
    [InlineData("?q=paris&from=24.08.2002", "Invalid date")]
    [InlineData("?q=paris&to=2002-13-01", "Invalid date")]
    [InlineData("?q=paris&cursor=nonsense", "Invalid cursor")]
    [InlineData("?q=paris&limit=0", "Invalid page size")]
    [InlineData("?q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m", "Too many words")]
    public async Task A_search_that_cannot_be_run_is_a_problem_a_person_can_read(string query, string title)
    {
        var owner = await shared.NewUserAsync();

        var problem = await (await owner.GetAsync("/api/search" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(title, problem.Title);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task A_search_too_long_is_refused_with_its_length()
    {
        var owner = await shared.NewUserAsync();

        var problem = await (await owner.GetAsync("/api/search?q=" + new string('a', 201))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Search too long", problem.Title);
        Assert.Contains("201", problem.Detail, StringComparison.Ordinal);
    }
}
