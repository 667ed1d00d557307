using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Search;

/// <summary>
/// The order of results on a small library with known answers: each word counts for the best field it matched in
/// (description 4, file name or camera 3, place 2, album name 1), the sums most first, ties newest first.
/// </summary>
public sealed class SearchRankingTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task A_word_in_the_description_ranks_above_the_file_name_above_an_album_name_with_ties_newest_first()
    {
        var owner = await shared.NewUserAsync();
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "harbour.jpg", "sunset.jpg", "walk.jpg", "harbour-2.jpg", "other.jpg");
        var (fileName, described, inAlbum, newerFileName, unrelated) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
        await owner.DescribeAsync(described, "Boats in the old harbour");
        var album = await owner.CreateAlbumAsync("Harbour walk");
        await owner.AddToAlbumAsync(album.Id, inAlbum);

        Assert.Equal([described, newerFileName, fileName, inAlbum], await owner.SearchForAsync("harbour"));
        Assert.DoesNotContain(unrelated, await owner.SearchForAsync("harbour"));
    }

    [Fact]
    public async Task Each_word_adds_the_weight_of_the_best_field_it_matched_and_the_sums_decide()
    {
        var owner = await shared.NewUserAsync();
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "boats.jpg", "quay.jpg", "dock.jpg");
        var (fileAndPlace, descriptionAndCamera, albumAndPlace) = (ids[0], ids[1], ids[2]);
        await owner.DescribeAsync(descriptionAndCamera, "Boats at dusk");
        var album = await owner.CreateAlbumAsync("Boats");
        await owner.AddToAlbumAsync(album.Id, albumAndPlace);

        // "boats fujifilm": 4 + 3 = 7 (description, camera), 3 + 3 = 6 (file name, camera), 1 + 3 = 4 (album, camera).
        Assert.Equal([descriptionAndCamera, fileAndPlace, albumAndPlace], await owner.SearchForAsync("boats fujifilm"));
        // "boats paris": 4 + 2, 3 + 2, 1 + 2.
        Assert.Equal([descriptionAndCamera, fileAndPlace, albumAndPlace], await owner.SearchForAsync("Boats PARIS"));
    }

    [Fact]
    public async Task Pages_of_ranked_results_follow_each_other_without_a_gap_or_a_repeat()
    {
        var owner = await shared.NewUserAsync();
        var ids = await owner.UploadNamedAsync(SearchTestKit.Fujifilm, "pier-1.jpg", "pier-2.jpg", "pier-3.jpg", "x.jpg", "y.jpg");
        await owner.DescribeAsync(ids[3], "pier at night");
        var album = await owner.CreateAlbumAsync("Pier");
        await owner.AddToAlbumAsync(album.Id, ids[4]);

        var expected = new[] { ids[3], ids[2], ids[1], ids[0], ids[4] };
        Assert.Equal(expected, await owner.SearchAsync("q=pier", limit: 2));
        Assert.Equal(expected, await owner.SearchAsync("q=pier", limit: 1));
    }
}
