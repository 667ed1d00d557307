using Keepsake.Backups.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Backups;

/// <summary>
/// A deleted photo's copy outlives it by <c>Backups:Photos:DeletedRetention</c> (30 days) on the photo backup target, a
/// folder or a second S3 server, so a mistaken delete can be undone from the copies; the run of <c>backup photos</c>
/// after that removes it. Runs go through the server's own services, on a clock the test moves.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class PhotoCopyGraceTests(S3Server s3)
{
    private const string Kept = "no-exif-casio.jpg";
    private const string Deleted = "gps-apple-iphone4.jpg";

    private static readonly TimeSpan Grace = TimeSpan.FromDays(30);

    /// <summary>A clock at a whole second: PostgreSQL keeps microseconds, so a time with ticks below them would not come back equal.</summary>
    private static FakeTimeProvider Clock() => new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private static async Task<PhotoCopyResult> RunAsync(IServiceProvider server)
    {
        await using var scope = server.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PhotoCopier>().RunAsync(null, CancellationToken.None);
    }

    [Theory]
    [InlineData(PhotoCopyTarget.Folder)]
    [InlineData(PhotoCopyTarget.S3)]
    public async Task A_deleted_photos_copy_stays_for_the_grace_period_and_is_removed_by_the_first_run_after_it(string provider)
    {
        using var target = await PhotoCopyTarget.CreateAsync(provider, s3);
        using var app = target.CreateApp();
        var clock = Clock();
        using var server = app.WithClock(clock);
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Kept));
        var deleted = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Deleted));
        Assert.Equal(2, (await RunAsync(server.Services)).Copied);

        await (await owner.DeletePhotoForGoodAsync(deleted.Id)).EnsureSuccessAsync();
        var seenUnheld = await RunAsync(server.Services);

        Assert.Equal(0, seenUnheld.Removed);
        Assert.Equal(PhotoCopyTarget.KeysOf(Kept, Deleted), await target.KeysAsync());
        var row = Assert.Single(await PhotoCopyTarget.RowsAsync(app), r => r.Sha256 == PhotoCopyTarget.Sha256Of(Deleted));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, row.UnheldSince);

        clock.Advance(Grace - TimeSpan.FromMinutes(1));
        var withinGrace = await RunAsync(server.Services);

        Assert.Equal(0, withinGrace.Removed);
        Assert.Equal(PhotoCopyTarget.KeysOf(Kept, Deleted), await target.KeysAsync());

        clock.Advance(TimeSpan.FromMinutes(1));
        var afterGrace = await RunAsync(server.Services);

        Assert.Equal(1, afterGrace.Removed);
        Assert.Equal(PhotoCopyTarget.KeysOf(Kept), await target.KeysAsync());
        Assert.Equal(PhotoCopyTarget.ContentsOf(Kept), (await PhotoCopyTarget.RowsAsync(app)).Select(r => r.Sha256).ToList());
        Assert.All(await PhotoCopyTarget.RowsAsync(app), r => Assert.Null(r.UnheldSince));
    }

    [Theory]
    [InlineData(PhotoCopyTarget.Folder)]
    [InlineData(PhotoCopyTarget.S3)]
    public async Task Content_a_photo_holds_again_within_the_grace_keeps_its_copy_for_good(string provider)
    {
        using var target = await PhotoCopyTarget.CreateAsync(provider, s3);
        using var app = target.CreateApp();
        var clock = Clock();
        using var server = app.WithClock(clock);
        var owner = await app.CreateOwnerAsync();
        var friend = await app.CreateUserAsync(owner, "friend@example.com");
        var first = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Deleted));
        await RunAsync(server.Services);
        await (await owner.DeletePhotoForGoodAsync(first.Id)).EnsureSuccessAsync();
        await RunAsync(server.Services);
        clock.Advance(TimeSpan.FromDays(10));

        // Another user uploads the same bytes: the content is held again, the copy serves them both.
        await KeepsakeApp.UploadPhotoAsync(friend, TestData.Photo(Deleted));
        var held = await RunAsync(server.Services);
        clock.Advance(Grace * 2);
        var later = await RunAsync(server.Services);

        Assert.Equal((0, 1, 0), (held.Copied, held.AlreadyThere, held.Removed));
        Assert.Equal(0, later.Removed);
        Assert.Equal(PhotoCopyTarget.KeysOf(Deleted), await target.KeysAsync());
        Assert.Null(Assert.Single(await PhotoCopyTarget.RowsAsync(app)).UnheldSince);
    }

    [Fact]
    public async Task The_copy_of_a_photo_whose_original_is_marked_missing_is_kept_past_the_grace_as_the_way_to_bring_it_back()
    {
        using var target = await PhotoCopyTarget.CreateAsync(PhotoCopyTarget.Folder, s3);
        using var app = target.CreateApp();
        var clock = Clock();
        using var server = app.WithClock(clock);
        var owner = await app.CreateOwnerAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Kept));
        await RunAsync(server.Services);
        await app.DeleteStoredFileAsync(app.StoredFiles().Single(k => k.StartsWith("originals/", StringComparison.Ordinal) && k.EndsWith($"{photo.Id:N}", StringComparison.Ordinal)));
        var fsck = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");
        Assert.Contains("marked missing", fsck.Output + fsck.Error, StringComparison.Ordinal);

        await RunAsync(server.Services);
        clock.Advance(Grace * 2);
        var later = await RunAsync(server.Services);

        Assert.Equal(0, later.Removed);
        Assert.Equal(PhotoCopyTarget.KeysOf(Kept), await target.KeysAsync());
        Assert.Null(Assert.Single(await PhotoCopyTarget.RowsAsync(app)).UnheldSince);
    }

    [Theory]
    [InlineData("DeletedRetention", "00:00:00", "Backups:Photos:DeletedRetention is 00:00:00; it must be longer than zero")]
    [InlineData("Parallelism", "0", "Backups:Photos:Parallelism is 0; it must be from 1 to 64")]
    [InlineData("Parallelism", "65", "Backups:Photos:Parallelism is 65; it must be from 1 to 64")]
    public async Task A_setting_out_of_range_is_refused_naming_the_setting_and_nothing_is_copied(string setting, string value, string message)
    {
        using var target = await PhotoCopyTarget.CreateAsync(PhotoCopyTarget.Folder, s3);
        using var app = target.CreateApp();
        var environment = app.Environment.ToDictionary();
        environment[$"KEEPSAKE_Backups__Photos__{setting}"] = value;

        var run = await CliRunner.RunAsync(environment, "backup photos");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(await target.KeysAsync());
    }
}
