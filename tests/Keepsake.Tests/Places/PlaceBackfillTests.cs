using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Photos.Places;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Weather;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Places;

/// <summary>The photos stored before Keepsake named places get theirs from a one-off back-fill that survives restarts.</summary>
public sealed class PlaceBackfillTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly string[] Files = ["gps-apple-iphone4.jpg", "gps-fujifilm-finepix-s2pro.jpg", "gps-samsung-galaxy-note5.jpg", "no-exif-casio.jpg"];

    [Fact]
    public async Task The_backfill_continues_where_a_stopped_run_left_off_and_names_no_photo_twice()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadAsync(owner);
        await ForgetPlacesAsync(shared.App, photos.Values);

        IReadOnlyList<Guid> firstBatch;
        await using (var scope = shared.App.Services.CreateAsyncScope())
        {
            firstBatch = await scope.ServiceProvider.GetRequiredService<PlaceBackfill>().FillBatchAsync(2, CancellationToken.None);
        }
        Assert.Equal(2, firstBatch.Count);
        Assert.Equal(2, await CountNamedAsync(owner, photos));

        var rest = await CliRunner.RunAsync(shared.App, "places backfill");
        var again = await CliRunner.RunAsync(shared.App, "places backfill");

        Assert.Equal(0, rest.ExitCode);
        Assert.Equal(["named the places of 1 photo(s)"], rest.Lines);
        Assert.Equal(["named the places of 0 photo(s)"], again.Lines);
        await AssertNamedAsync(owner, photos);
    }

    [Fact]
    public async Task A_server_that_starts_on_photos_stored_before_places_names_them()
    {
        using var data = new SharedData();
        Dictionary<string, Guid> photos;
        using (var before = new KeepsakeApp(data.With([])))
        {
            photos = await UploadAsync(await before.CreateOwnerAsync());
            await ForgetPlacesAsync(before, photos.Values);
        }

        using var after = new KeepsakeApp(data.With([]));
        var owner = await after.LoginAsync("owner@example.com");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountNamedAsync(owner, photos) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await AssertNamedAsync(owner, photos);
    }

    private static async Task<Dictionary<string, Guid>> UploadAsync(HttpClient owner)
    {
        var upload = await (await KeepsakeApp.UploadAsync(owner, [.. Files.Select(TestData.Photo)])).ReadAsync<UploadResponseDto>();
        return upload.Photos.ToDictionary(p => p.FileName, p => p.Photo.Id);
    }

    /// <summary>Makes the photos what an earlier release stored: no place, never looked up.</summary>
    private static async Task ForgetPlacesAsync(KeepsakeApp app, IEnumerable<Guid> photoIds)
    {
        var ids = photoIds.ToList();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().Photos.Where(p => ids.Contains(p.Id))
            .ExecuteUpdateAsync(photo => photo
                .SetProperty(p => p.PlaceCity, (string?)null).SetProperty(p => p.PlaceRegion, (string?)null)
                .SetProperty(p => p.PlaceCountry, (string?)null).SetProperty(p => p.PlaceCountryCode, (string?)null)
                .SetProperty(p => p.PlaceLookedUp, false));
    }

    private static async Task<PhotoDetailsDto> DetailsAsync(HttpClient owner, Guid id) =>
        await (await owner.GetAsync($"/api/photos/{id}")).ReadAsync<PhotoDetailsDto>();

    private static async Task<int> CountNamedAsync(HttpClient owner, Dictionary<string, Guid> photos)
    {
        var named = 0;
        foreach (var id in photos.Values)
        {
            named += (await DetailsAsync(owner, id)).Place is null ? 0 : 1;
        }
        return named;
    }

    private static async Task AssertNamedAsync(HttpClient owner, Dictionary<string, Guid> photos)
    {
        foreach (var (file, id) in photos)
        {
            Assert.Equal(PlacesTests.RealPlaces.GetValueOrDefault(file), (await DetailsAsync(owner, id)).Place);
        }
    }
}
