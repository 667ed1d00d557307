using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Backups;

/// <summary>
/// A GDPR erasure reaches the photo backup target (a folder or a second S3 server) at once: the copies of what the user
/// held, the photos they deleted within the grace included, go, unless another user's photo holds the same bytes; and a
/// restore of a database backup taken before the erasure brings none of it back, nor makes the next run copy it again,
/// nor lets a repair from the copies restore it.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class PhotoCopyErasureTests(S3Server s3)
{
    // SampleLibrary: the owner holds the first two, the friend the third.
    private const string OwnersOnly = "gps-apple-iphone4.jpg";
    private const string Shared = "no-exif-casio.jpg";
    private const string FriendsOnly = "orientation-6-portrait.jpg";
    private const string FriendDeleted = "orientation-1-landscape.jpg";

    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    private static async Task<CliResult> SucceedsAsync(KeepsakeApp app, string verb)
    {
        var result = await CliRunner.RunAsync(app, verb);
        Assert.True(result.ExitCode == 0, $"{verb}: {Describe(result)}");
        return result;
    }

    /// <summary>The sample library, the friend also holding the owner's <see cref="Shared"/> photo and having deleted
    /// <see cref="FriendDeleted"/> after it was copied: four contents on the target.</summary>
    private static async Task<SampleLibrary> CopiedLibraryAsync(KeepsakeApp app, PhotoCopyTarget target)
    {
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var friend = await app.LoginAsync(library.FriendEmail);
        await KeepsakeApp.UploadPhotoAsync(friend, TestData.Photo(Shared));
        var deleted = await KeepsakeApp.UploadPhotoAsync(friend, TestData.Photo(FriendDeleted));
        await SucceedsAsync(app, "backup photos");
        await (await friend.DeletePhotoForGoodAsync(deleted.Id)).EnsureSuccessAsync();
        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared, FriendsOnly, FriendDeleted), await target.KeysAsync());
        return library;
    }

    private static async Task<(int Photos, int FormerHolders)> RowsOfAsync(KeepsakeApp app, Guid userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        return (await db.Photos.CountAsync(p => p.OwnerId == userId), await db.PhotoCopyFormerHolders.CountAsync(h => h.OwnerId == userId));
    }

    [Theory]
    [InlineData(PhotoCopyTarget.Folder)]
    [InlineData(PhotoCopyTarget.S3)]
    public async Task Erasure_removes_the_users_copies_at_once_and_keeps_the_content_another_user_holds(string provider)
    {
        using var target = await PhotoCopyTarget.CreateAsync(provider, s3);
        using var app = target.CreateApp();
        var library = await CopiedLibraryAsync(app, target);

        await SucceedsAsync(app, $"user erase {library.FriendEmail} --yes");

        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared), await target.KeysAsync());
        Assert.Equal(PhotoCopyTarget.ContentsOf(OwnersOnly, Shared), (await PhotoCopyTarget.RowsAsync(app)).Select(r => r.Sha256).ToList());
        Assert.Equal((0, 0), await RowsOfAsync(app, library.FriendId));
        var next = await SucceedsAsync(app, "backup photos");
        Assert.Contains("copied 0 (0 bytes), already there 2, failed 0, removed 0", next.Output, StringComparison.Ordinal);
    }

    /// <summary>Restored as it was (the ledger replay erases the user again) and once scrubbed (the user already gone from it).</summary>
    [Theory]
    [InlineData(PhotoCopyTarget.Folder, false)]
    [InlineData(PhotoCopyTarget.S3, false)]
    [InlineData(PhotoCopyTarget.Folder, true)]
    public async Task Restoring_a_backup_from_before_an_erasure_brings_back_no_photo_row_copy_or_copy_record_of_the_erased_user(string provider, bool scrubbed)
    {
        using var target = await PhotoCopyTarget.CreateAsync(provider, s3);
        using var app = target.CreateApp();
        var library = await CopiedLibraryAsync(app, target);
        var backup = await BackupTestKit.CreateBackupAsync(app);
        await SucceedsAsync(app, $"user erase {library.FriendEmail} --yes");
        if (scrubbed)
        {
            await SucceedsAsync(app, "backup scrub");
        }

        await SucceedsAsync(app, $"backup restore {backup} --yes");

        Assert.Equal((0, 0), await RowsOfAsync(app, library.FriendId));
        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared), await target.KeysAsync());
        Assert.Equal(PhotoCopyTarget.ContentsOf(OwnersOnly, Shared), (await PhotoCopyTarget.RowsAsync(app)).Select(r => r.Sha256).ToList());
        var next = await SucceedsAsync(app, "backup photos");
        Assert.Contains("copied 0 (0 bytes), already there 2, failed 0", next.Output, StringComparison.Ordinal);
        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared), await target.KeysAsync());
        // A repair from the copies then has nothing of the friend's to bring back into primary storage.
        await SucceedsAsync(app, "fsck --repair-from-backup");
        Assert.Equal((0, 0), await RowsOfAsync(app, library.FriendId));
        Assert.DoesNotContain(app.StoredFiles(), key => PhotoBlobs.OwnerIdOf(key) == library.FriendId);
    }

    [Fact]
    public async Task An_erasure_interrupted_right_after_the_photo_rows_went_removes_the_copies_when_run_again()
    {
        using var target = await PhotoCopyTarget.CreateAsync(PhotoCopyTarget.Folder, s3);
        using var app = target.CreateApp();
        var library = await CopiedLibraryAsync(app, target);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var erasure = scope.ServiceProvider.GetRequiredService<UserErasure>();
            erasure.AfterStep = step => step == ErasureStep.PhotoRows ? throw new OperationCanceledException("the process died here") : Task.CompletedTask;
            await Assert.ThrowsAsync<OperationCanceledException>(() => erasure.EraseAccountAsync(library.FriendId, CancellationToken.None));
        }
        // The photo rows are gone, the copies not yet; what the friend held is written down for the re-run.
        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared, FriendsOnly, FriendDeleted), await target.KeysAsync());
        var (photos, formerHoldings) = await RowsOfAsync(app, library.FriendId);
        Assert.Equal(0, photos);
        Assert.NotEqual(0, formerHoldings);

        await SucceedsAsync(app, $"user erase {library.FriendEmail} --yes");

        Assert.Equal((0, 0), await RowsOfAsync(app, library.FriendId));
        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared), await target.KeysAsync());
        Assert.Equal(PhotoCopyTarget.ContentsOf(OwnersOnly, Shared), (await PhotoCopyTarget.RowsAsync(app)).Select(r => r.Sha256).ToList());
    }

    /// <summary>A run copying the friend's newest photo between two of the erasure's steps: before what they hold is
    /// written down, and after it, while their photo rows are still there.</summary>
    [Theory]
    [InlineData(ErasureStep.Albums)]
    [InlineData(ErasureStep.PhotoHoldings)]
    public async Task A_photo_backup_run_between_the_steps_of_an_erasure_leaves_no_copy_of_the_erased_users_photos(ErasureStep runsAfter)
    {
        using var target = await PhotoCopyTarget.CreateAsync(PhotoCopyTarget.Folder, s3);
        using var app = target.CreateApp();
        var library = await CopiedLibraryAsync(app, target);
        var friend = await app.LoginAsync(library.FriendEmail);
        await PhotoBackupTestKit.UploadAsync(friend, PhotoBackupTestKit.UniqueJpeg(TestData.Photo(FriendDeleted)));
        PhotoCopyResult? run = null;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var erasure = scope.ServiceProvider.GetRequiredService<UserErasure>();
            erasure.AfterStep = async step =>
            {
                if (step == runsAfter)
                {
                    await using var runScope = app.Services.CreateAsyncScope();
                    run = await runScope.ServiceProvider.GetRequiredService<PhotoCopier>().RunAsync(null, CancellationToken.None);
                }
            };
            Assert.Equal(ErasureRefusal.None, await erasure.EraseAccountAsync(library.FriendId, CancellationToken.None));
        }

        Assert.Equal(1, run?.Copied);
        Assert.Equal(PhotoCopyTarget.KeysOf(OwnersOnly, Shared), await target.KeysAsync());
        Assert.Equal(PhotoCopyTarget.ContentsOf(OwnersOnly, Shared), (await PhotoCopyTarget.RowsAsync(app)).Select(r => r.Sha256).ToList());
        Assert.Equal((0, 0), await RowsOfAsync(app, library.FriendId));
    }
}
