using System.Net;
using System.Net.Http.Json;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Photos.Places;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Search;

/// <summary>The index follows every write at once: the database keeps it in the writing transaction.</summary>
public sealed class SearchSyncTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task An_edited_description_is_found_by_its_new_words_only_and_a_cleared_one_by_none()
    {
        var owner = await shared.NewUserAsync();
        var photo = (await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0];

        await owner.DescribeAsync(photo, "  Picnic by the river  ");
        Assert.Equal([photo], await owner.SearchForAsync("picnic"));
        Assert.Equal("Picnic by the river", (await (await owner.GetAsync($"/api/photos/{photo}")).ReadAsync<PhotoDetailsDto>()).Description);

        await owner.DescribeAsync(photo, "Lunch on the terrace");
        Assert.Empty(await owner.SearchForAsync("picnic"));
        Assert.Equal([photo], await owner.SearchForAsync("terrace"));

        await owner.DescribeAsync(photo, "   ");
        Assert.Empty(await owner.SearchForAsync("terrace"));
        Assert.Null((await (await owner.GetAsync($"/api/photos/{photo}")).ReadAsync<PhotoDetailsDto>()).Description);
    }

    [Fact]
    public async Task A_description_too_long_or_of_another_users_photo_is_refused_and_changes_nothing()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var photo = (await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0];
        await owner.DescribeAsync(photo, "kept");

        var tooLong = await owner.PutAsJsonAsync($"/api/photos/{photo}/description", new PhotoDescriptionDto(new string('x', PhotoDescriptionApi.MaxLength + 1)));
        var problem = await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Description too long", problem.Title);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync($"/api/photos/{photo}/description", new PhotoDescriptionDto("mine"))).StatusCode);

        Assert.Equal([photo], await owner.SearchForAsync("kept"));
        Assert.Empty(await owner.SearchForAsync("mine"));
    }

    [Fact]
    public async Task A_renamed_album_is_found_by_its_new_name_and_a_photo_leaves_it_when_taken_out()
    {
        var owner = await shared.NewUserAsync();
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg", "b.jpg");
        var album = await owner.AddToAlbumAsync((await owner.CreateAlbumAsync("Summer")).Id, ids);
        await owner.AddToAlbumAsync((await owner.CreateAlbumAsync("Winter")).Id, ids[0]);
        Assert.Equal([ids[1], ids[0]], await owner.SearchForAsync("summer"));

        await (await owner.PutAsJsonAsync($"/api/albums/{album.Id}", new AlbumNameDto("Holiday"))).EnsureSuccessAsync();
        Assert.Empty(await owner.SearchForAsync("summer"));
        Assert.Equal([ids[1], ids[0]], await owner.SearchForAsync("holiday"));
        Assert.Equal([ids[0]], await owner.SearchForAsync("holiday winter"));

        await (await owner.DeleteAsync($"/api/albums/{album.Id}/photos/{ids[1]}")).EnsureSuccessAsync();
        Assert.Equal([ids[0]], await owner.SearchForAsync("holiday"));

        await (await owner.DeleteAsync($"/api/albums/{album.Id}")).EnsureSuccessAsync();
        Assert.Empty(await owner.SearchForAsync("holiday"));
        Assert.Equal([ids[0]], await owner.SearchForAsync("winter"));
    }

    [Fact]
    public async Task A_place_named_by_the_backfill_is_found_at_once()
    {
        var owner = await shared.NewUserAsync();
        var photo = (await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg"))[0];
        await using (var scope = shared.Server.Services.CreateAsyncScope())
        {
            // As a photo stored before places: a location, never looked up.
            await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().Photos.Where(p => p.Id == photo).ExecuteUpdateAsync(p => p
                .SetProperty(x => x.PlaceCity, (string?)null).SetProperty(x => x.PlaceRegion, (string?)null)
                .SetProperty(x => x.PlaceCountry, (string?)null).SetProperty(x => x.PlaceCountryCode, (string?)null)
                .SetProperty(x => x.PlaceLookedUp, false));
        }
        Assert.Empty(await owner.SearchForAsync("paris"));

        await using (var scope = shared.Server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PlaceBackfill>().FillAsync(PlaceBackfill.DefaultBatchSize, CancellationToken.None);
        }

        Assert.Equal([photo], await owner.SearchForAsync("paris"));
    }

    [Fact]
    public async Task A_photo_deleted_for_good_and_an_erased_users_photos_leave_the_index()
    {
        var email = shared.NewEmail();
        var owner = await shared.NewUserAsync(email);
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "a.jpg", "b.jpg");
        await owner.AddToAlbumAsync((await owner.CreateAlbumAsync("Erased")).Id, ids[1]);
        Assert.Equal(2, (await IndexedAsync(ids)).Count);

        await (await owner.DeletePhotoForGoodAsync(ids[0])).EnsureSuccessAsync();
        Assert.Equal([ids[1]], await IndexedAsync(ids));
        Assert.Equal([ids[1]], await owner.SearchForAsync("paris"));

        await (await owner.PostAsJsonAsync("/api/me/erase", new EraseAccountDto(KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        Assert.Empty(await IndexedAsync(ids));
    }

    /// <summary>Which of these photos have a row in the search index, read from the database itself.</summary>
    private async Task<List<Guid>> IndexedAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var scope = shared.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT photo_id FROM photo_search";
            var indexed = new List<Guid>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexed.Add(Guid.Parse(reader.GetValue(0).ToString()!));
            }
            return [.. indexed.Where(ids.Contains)];
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
