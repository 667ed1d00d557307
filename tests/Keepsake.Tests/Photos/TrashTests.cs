using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Photos.Trash;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Photos;

/// <summary>The trash: a deleted photo leaves every view at once, comes back in place when restored, and is deleted for good when emptied or expired.</summary>
public sealed class TrashTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    private static readonly string Fujifilm = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

    private static async Task<PhotoSummaryDto[]> UploadAsync(HttpClient owner, int count)
    {
        var files = Enumerable.Range(1, count).Select(i => ($"photo-{i}.jpg", PhotoTestKit.Variant(Fujifilm, (byte)i))).ToArray();
        await (await PhotoTestKit.UploadBytesAsync(owner, files)).EnsureSuccessAsync();
        return [.. await PhotoTestKit.TimelineAsync(owner)];
    }

    private static async Task<TrashPageDto> TrashAsync(HttpClient owner, string query = "") =>
        await (await owner.GetAsync("/api/trash" + query)).ReadAsync<TrashPageDto>();

    private static Task<HttpResponseMessage> PostIdsAsync(HttpClient owner, string url, params Guid[] ids) =>
        owner.PostAsJsonAsync(url, new TrashPhotosDto(ids));

    [Fact]
    public async Task A_deleted_photo_leaves_the_timeline_its_album_and_share_link_at_once_and_comes_back_in_place_when_restored()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadAsync(owner, 2);
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photos[0].Id, photos[1].Id);
        var share = await owner.ShareAsync(album.Id);
        var visitor = shared.Server.CreateBrowserClient();

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/photos/{photos[0].Id}")).StatusCode);

        Assert.Equal([photos[1].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.Equal([photos[1].Id], (await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items.Select(p => p.Id));
        Assert.Equal(1, (await owner.GetAlbumAsync(album.Id)).PhotoCount);
        Assert.Equal([photos[1].Id], (await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items.Select(p => p.Id));
        await (await visitor.GetAsync($"/api/s/{share.Token}/photos/{photos[0].Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, (await (await owner.GetAsync("/api/timeline/buckets")).ReadAsync<List<TimelineBucketDto>>()).Sum(b => b.Count));
        Assert.Equal([photos[0].Id], (await TrashAsync(owner)).Items.Select(t => t.Photo.Id));
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await PostIdsAsync(owner, "/api/trash/restore", photos[0].Id)).StatusCode);

        Assert.Equal([photos[0].Id, photos[1].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.Equal([photos[0].Id, photos[1].Id], (await owner.GetPageAsync($"/api/albums/{album.Id}/photos")).Items.Select(p => p.Id));
        Assert.Equal(2, (await visitor.GetPageAsync($"/api/s/{share.Token}/photos")).Items.Count);
        Assert.Empty((await TrashAsync(owner)).Items);
    }

    [Fact]
    public async Task The_trash_lists_the_latest_deleted_first_in_pages_with_when_each_goes_for_good()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadAsync(owner, 3);
        foreach (var photo in new[] { photos[2], photos[0], photos[1] })
        {
            await (await owner.DeleteAsync($"/api/photos/{photo.Id}")).EnsureSuccessAsync();
        }
        // Bulk, with one already in the trash: it keeps the time it went in.
        await (await PostIdsAsync(owner, "/api/trash", photos[0].Id, photos[1].Id)).EnsureSuccessAsync();

        var first = await TrashAsync(owner, "?limit=2");
        var rest = await TrashAsync(owner, "?limit=2&cursor=" + Uri.EscapeDataString(first.NextCursor!));

        var listed = first.Items.Concat(rest.Items).ToList();
        Assert.Null(rest.NextCursor);
        Assert.Equal([photos[1].Id, photos[0].Id, photos[2].Id], listed.Select(t => t.Photo.Id));
        Assert.All(listed, t => Assert.Equal(t.TrashedAt.AddDays(30), t.PurgeAt));
        Assert.True(listed[0].TrashedAt >= listed[1].TrashedAt && listed[1].TrashedAt >= listed[2].TrashedAt);
        Assert.Empty(await PhotoTestKit.TimelineAsync(owner));
    }

    [Fact]
    public async Task Emptying_the_trash_deletes_its_photos_and_their_files_for_good_and_leaves_the_rest()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadAsync(owner, 3);
        await (await PostIdsAsync(owner, "/api/trash", photos[0].Id, photos[2].Id)).EnsureSuccessAsync();

        var emptied = await (await owner.PostAsync("/api/trash/empty", null)).ReadAsync<TrashEmptiedDto>();

        Assert.Equal(2, emptied.Deleted);
        Assert.Empty((await TrashAsync(owner)).Items);
        Assert.Equal([photos[1].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        var files = await shared.App.StoredFilesOfAsync(owner);
        Assert.Equal(PhotoTestKit.FilesPerPhoto, files.Count);
        Assert.All(files, file => Assert.Contains(photos[1].Id.ToString("N"), file, StringComparison.Ordinal));
        await (await PostIdsAsync(owner, "/api/trash/restore", photos[0].Id)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/photos/{photos[0].Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Naming_a_photo_of_another_user_or_none_changes_nothing_and_is_not_found()
    {
        var owner = await shared.NewUserAsync();
        var stranger = await shared.NewUserAsync();
        var mine = await UploadAsync(owner, 1);
        var theirs = await UploadAsync(stranger, 1);

        var problem = await (await PostIdsAsync(owner, "/api/trash", mine[0].Id, theirs[0].Id)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.DeleteAsync($"/api/photos/{theirs[0].Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await PostIdsAsync(owner, "/api/trash", Guid.NewGuid())).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("nothing was changed", problem.Detail, StringComparison.Ordinal);
        Assert.Single(await PhotoTestKit.TimelineAsync(owner));
        Assert.Single(await PhotoTestKit.TimelineAsync(stranger));
        await (await stranger.DeleteAsync($"/api/photos/{theirs[0].Id}")).EnsureSuccessAsync();
        await (await PostIdsAsync(owner, "/api/trash/restore", theirs[0].Id)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await PhotoTestKit.TimelineAsync(stranger));
    }

    [Theory]
    [InlineData("/api/trash")]
    [InlineData("/api/trash/restore")]
    public async Task A_request_with_no_photos_or_too_many_is_refused_with_a_clear_problem(string url)
    {
        var owner = await shared.NewUserAsync();

        var none = await (await PostIdsAsync(owner, url)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await owner.PostAsJsonAsync(url, new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var tooMany = await (await PostIdsAsync(owner, url, [.. Enumerable.Range(0, TrashApi.MaxPhotosPerRequest + 1).Select(_ => Guid.NewGuid())]))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("between 1 and 1000 photo ids", none.Detail, StringComparison.Ordinal);
        Assert.Equal(none.Detail, tooMany.Detail);
    }

    [Fact]
    public async Task A_photo_uploaded_again_while_in_the_trash_comes_back_as_a_duplicate()
    {
        var owner = await shared.NewUserAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, Fujifilm);
        await (await owner.DeleteAsync($"/api/photos/{photo.Id}")).EnsureSuccessAsync();

        var again = await (await PhotoTestKit.UploadBytesAsync(owner, ("again.jpg", await File.ReadAllBytesAsync(Fujifilm)))).ReadAsync<UploadResponseDto>();

        Assert.True(Assert.Single(again.Photos).Duplicate);
        Assert.Equal([photo.Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.Empty((await TrashAsync(owner)).Items);
    }

    [Fact]
    public async Task Photos_in_the_trash_are_deleted_for_good_once_the_retention_is_over_and_not_before()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Trash:Purge:Enabled"] = "true", ["Trash:Retention"] = "30.00:00:00" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = app.WithClock(clock);
        var owner = await server.SetUpOwnerAsync();
        var photos = await UploadAsync(owner, 2);
        await (await owner.DeleteAsync($"/api/photos/{photos[0].Id}")).EnsureSuccessAsync();
        clock.Advance(TimeSpan.FromDays(10));
        await (await owner.DeleteAsync($"/api/photos/{photos[1].Id}")).EnsureSuccessAsync();

        // Each step moves the server's hourly purge on; the photo deleted first has 29 days and 23 hours behind it.
        clock.Advance(TimeSpan.FromDays(19) + TimeSpan.FromHours(23));
        await Task.Delay(TimeSpan.FromSeconds(1));
        // A session does not last a month: sign in again on the moved clock.
        owner = await SignInAsync(server);
        Assert.Equal(2, (await TrashAsync(owner)).Items.Count);

        clock.Advance(TimeSpan.FromHours(1));
        await WaitUntilAsync(async () => (await TrashAsync(owner)).Items.Count == 1);

        Assert.Equal([photos[1].Id], (await TrashAsync(owner)).Items.Select(t => t.Photo.Id));
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await app.StoredFilesOfAsync(owner)).Count);
    }

    [Fact]
    public async Task The_purge_verb_deletes_for_good_what_has_been_in_the_trash_longer_than_the_retention()
    {
        var owner = await shared.NewUserAsync();
        var photos = await UploadAsync(owner, 2);
        await (await owner.DeleteAsync($"/api/photos/{photos[0].Id}")).EnsureSuccessAsync();

        var tooSoon = await CliRunner.RunAsync(shared.App, "trash purge");
        var settings = new Dictionary<string, string?>(shared.App.Environment) { ["KEEPSAKE_Trash__Retention"] = "00:00:00" };
        var due = await CliRunner.RunAsync(settings, "trash purge");

        Assert.Equal(0, tooSoon.ExitCode);
        Assert.Equal("deleted 0 photo(s) for good after 30 day(s) in the trash", tooSoon.Lines.Single());
        Assert.Equal(0, due.ExitCode);
        Assert.Matches(@"^deleted [1-9]\d* photo\(s\) for good after 0 day\(s\) in the trash$", due.Lines.Single());
        Assert.Empty((await TrashAsync(owner)).Items);
        Assert.Equal([photos[1].Id], (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        Assert.Equal(PhotoTestKit.FilesPerPhoto, (await shared.App.StoredFilesOfAsync(owner)).Count);
    }

    private static async Task<HttpClient> SignInAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> server)
    {
        var client = server.CreateBrowserClient();
        await (await client.PostAsJsonAsync("/api/auth/login", new Keepsake.Accounts.CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return client;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 seconds.");
            await Task.Delay(100);
        }
    }
}
