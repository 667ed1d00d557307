using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Backups;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Faults;

/// <summary>
/// Fault 8: a database restore brings back the rows of photos deleted since the backup, without their files, and drops
/// the rows of photos added since, leaving their files. fsck reconciles both: the first are marked missing for their
/// owner to see and delete, the second are held for the restore's safety backup, which brings them back whole.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class RestoreReconciliationTests
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    private static async Task<string> RestoreAsync(KeepsakeApp app, string backupId)
    {
        var restore = await CliRunner.RunAsync(app, $"backup restore {backupId} --yes");
        Assert.True(restore.ExitCode == 0, Describe(restore));
        return restore.Lines.Single(l => l.StartsWith("safety backup", StringComparison.Ordinal)).Split(' ')[^1];
    }

    private static IReadOnlyList<string> FilesOf(KeepsakeApp app, PhotoDetailsDto photo) =>
        app.StoredFiles().Where(k => PhotoBlobs.PhotoIdOf(k) == photo.Id).ToList();

    [Fact]
    public async Task Photos_deleted_since_the_backup_come_back_without_files_and_repair_marks_them_missing_for_their_owner_to_delete()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var kept = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        PhotoDetailsDto[] deleted =
        [
            await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg")),
            await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("alpha.png")),
        ];
        var backup = await BackupTestKit.CreateBackupAsync(app);
        foreach (var photo in deleted)
        {
            await (await owner.DeletePhotoForGoodAsync(photo.Id)).EnsureSuccessAsync();
        }
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("orientation-6-portrait.jpg"));

        await RestoreAsync(app, backup);
        var restored = await PhotoTestKit.TimelineAsync(owner);
        var check = await CliRunner.RunAsync(app, "fsck");
        var repair = await CliRunner.RunAsync(app, "fsck --repair");
        var marked = await PhotoTestKit.TimelineAsync(owner);

        // The restore brought the rows back and nothing told them apart.
        Assert.Equal(deleted.Append(kept).Select(p => p.Id).Order(), restored.Select(p => p.Id).Order());
        Assert.DoesNotContain(restored, p => p.Missing);
        Assert.True(check.ExitCode == 1, Describe(check));
        foreach (var photo in deleted)
        {
            Assert.Equal(PhotoTestKit.FilesPerPhoto, check.Lines.Count(l => l.StartsWith("missing file ", StringComparison.Ordinal) && l.Contains($" of photo {photo.Id}", StringComparison.Ordinal)));
            Assert.Contains($"marked missing: photo {photo.Id}; its owner sees a placeholder and can delete it", repair.Lines);
        }
        Assert.DoesNotContain(check.Lines, l => l.StartsWith("orphan file", StringComparison.Ordinal));
        Assert.StartsWith($"problems: {2 * PhotoTestKit.FilesPerPhoto} missing, 0 orphan, 0 erasure leftover, 0 marked missing,", check.Lines[^1], StringComparison.Ordinal);
        Assert.True(repair.ExitCode == 1, Describe(repair));
        Assert.StartsWith($"problems: {2 * PhotoTestKit.FilesPerPhoto} missing, 0 orphan, 0 erasure leftover, 2 marked missing,", repair.Lines[^1], StringComparison.Ordinal);

        // The timeline says which photos are missing, and their files answer a clear problem.
        Assert.Equal(deleted.Select(p => p.Id).Order(), marked.Where(p => p.Missing).Select(p => p.Id).Order());
        Assert.True((await owner.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{deleted[0].Id}"))!.Missing);
        foreach (var variant in new[] { "thumbnail", "preview", "original" })
        {
            var problem = await (await owner.GetAsync($"/api/photos/{deleted[0].Id}/{variant}")).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("File missing", problem.Title);
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(kept.ThumbnailUrl)).StatusCode);

        // The owner deletes them; no other file goes with them.
        var files = app.StoredFiles();
        foreach (var photo in deleted)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await owner.DeletePhotoForGoodAsync(photo.Id)).StatusCode);
        }
        Assert.Equal(files, app.StoredFiles());
        Assert.Equal(new[] { kept.Id }, (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task Files_of_a_photo_added_since_the_backup_are_held_and_restoring_the_safety_backup_brings_the_photo_back_whole()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var first = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var backup = await BackupTestKit.CreateBackupAsync(app);
        var added = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var addedFiles = FilesOf(app, added);

        var safety = await RestoreAsync(app, backup);
        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");

        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.Equal(addedFiles, repair.Lines.Where(l => l.StartsWith("held file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.All(repair.Lines.Where(l => l.StartsWith("held file ", StringComparison.Ordinal)),
            l => Assert.Contains($"after backup {backup} was taken and before it was restored; its photo may be in the pre-restore backup {safety}", l, StringComparison.Ordinal));
        Assert.Equal($"clean: 0 missing, 0 orphan, 0 erasure leftover, 0 marked missing, {PhotoTestKit.FilesPerPhoto} held, 0 recent", repair.Lines[^1]);
        Assert.Equal(new[] { first.Id }, (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id));

        await RestoreAsync(app, safety);

        Assert.Equal(new[] { first.Id, added.Id }.Order(), (await PhotoTestKit.TimelineAsync(owner)).Select(p => p.Id).Order());
        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg")), await owner.GetByteArrayAsync(added.OriginalUrl));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(added.ThumbnailUrl)).StatusCode);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task Files_written_in_the_backups_second_on_a_store_that_keeps_whole_seconds_are_held_not_removed()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var backup = await BackupTestKit.CreateBackupAsync(app);
        var added = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var addedFiles = FilesOf(app, added);
        // Written just after the backup, in the same second: a store that keeps whole seconds reports the second's start.
        var takenAt = (await BackupTestKit.ReadManifestAsync(app, backup)).CreatedAt;
        foreach (var key in addedFiles)
        {
            app.SetStoredFileTime(key, takenAt.AddMilliseconds(-999));
        }
        await RestoreAsync(app, backup);

        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");

        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.Equal(addedFiles, repair.Lines.Where(l => l.StartsWith("held file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.Equal(addedFiles, FilesOf(app, added));
    }

    [Fact]
    public async Task Once_retention_has_pruned_the_safety_backup_the_files_it_held_are_orphans_that_repair_removes()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var backup = await BackupTestKit.CreateBackupAsync(app);
        var added = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var addedFiles = FilesOf(app, added);
        var safety = await RestoreAsync(app, backup);
        // What prune leaves of a backup it deletes: nothing that counts (the manifest goes first).
        await app.DeleteStoredFileAsync($"backups/{safety}/manifest.json");

        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");

        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.Equal(addedFiles.Select(k => k + " removed"), repair.Lines.Where(l => l.StartsWith("orphan file ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2] + " " + l.Split(' ')[^1]).Order(StringComparer.Ordinal));
        Assert.Empty(FilesOf(app, added));
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
