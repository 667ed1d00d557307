using Keepsake.Tests.Infrastructure;
using static Keepsake.Tests.Backups.PhotoBackupTestKit;

namespace Keepsake.Tests.Backups;

/// <summary>
/// <c>keepsake fsck --repair-from-backup</c> on one photo at a time, in an app shared by the class (its copies in a folder):
/// a damaged original is restored from its copy, and one that cannot be is named, never overwritten by a bad copy. A test
/// that leaves an original unrepaired puts it back itself at the end, so every test's run starts from a library it can repair.
/// </summary>
public sealed class PhotoRepairTests(SharedPhotoBackupApp shared) : IClassFixture<SharedPhotoBackupApp>
{
    private KeepsakeApp App => shared.App;

    private async Task<(HttpClient User, byte[] Content, Guid PhotoId, string Key)> PhotoAsync(bool copied)
    {
        var user = await shared.NewUserAsync();
        var content = UniqueJpeg(TestData.Photo("gps-apple-iphone4.jpg"));
        var photo = await UploadAsync(user, content);
        if (copied)
        {
            var copy = await CliRunner.RunAsync(App, "backup photos");
            Assert.True(copy.ExitCode == 0, BackupTestKit.Describe(copy));
        }
        return (user, content, photo.Id, await OriginalKeyAsync(user, photo.Id));
    }

    private static async Task<byte[]> ServedOriginalAsync(HttpClient user, Guid photoId) =>
        await (await user.GetAsync($"/api/photos/{photoId}/original")).Content.ReadAsByteArrayAsync();

    [Fact]
    public async Task A_flipped_byte_in_the_primary_original_is_repaired_from_its_copy_byte_for_byte()
    {
        var (user, content, photoId, key) = await PhotoAsync(copied: true);
        var damaged = await App.ReadStoredFileAsync(key);
        damaged[damaged.Length / 2] ^= 0xFF;
        await App.WriteStoredFileAsync(key, damaged);

        var repair = await CliRunner.RunAsync(App, "fsck --repair-from-backup");

        Assert.True(repair.ExitCode == 0, BackupTestKit.Describe(repair));
        Assert.Contains($"restored original {key} of photo {photoId} from its copy (its bytes hashed to {Sha256Of(damaged)})", repair.Output, StringComparison.Ordinal);
        Assert.Equal(content, await App.ReadStoredFileAsync(key));
        Assert.Equal(content, await ServedOriginalAsync(user, photoId));
    }

    [Fact]
    public async Task A_photo_whose_content_was_never_copied_is_reported_as_not_repairable_and_the_repair_exits_non_zero()
    {
        var (user, content, photoId, key) = await PhotoAsync(copied: false);
        await App.DeleteStoredFileAsync(key);

        var repair = await CliRunner.RunAsync(App, "fsck --repair-from-backup");

        Assert.True(repair.ExitCode == 1, BackupTestKit.Describe(repair));
        Assert.Contains($"NOT restored: original {key} of photo {photoId} (sha256 {Sha256Of(content)}; it was missing): no copy", repair.Error, StringComparison.Ordinal);
        Assert.Contains("not restored 1", repair.Output, StringComparison.Ordinal);
        Assert.Contains($"marked missing: photo {photoId}", repair.Output, StringComparison.Ordinal);

        await PutBackAsync(user, content, photoId, key);
    }

    [Fact]
    public async Task A_corrupt_copy_is_reported_and_never_written_into_primary_storage()
    {
        var (user, content, photoId, key) = await PhotoAsync(copied: true);
        var sha256 = Sha256Of(content);
        await FlipAByteAsync(Path.Combine(shared.TargetPath, KeyOf(sha256)));
        var damaged = await App.ReadStoredFileAsync(key);
        damaged[10] ^= 0xFF;
        await App.WriteStoredFileAsync(key, damaged);

        var repair = await CliRunner.RunAsync(App, "fsck --repair-from-backup");

        Assert.True(repair.ExitCode == 1, BackupTestKit.Describe(repair));
        Assert.Contains($"NOT restored: original {key} of photo {photoId} (sha256 {sha256}; its bytes hashed to {Sha256Of(damaged)}): its copy {KeyOf(sha256)} is corrupt", repair.Error, StringComparison.Ordinal);
        Assert.Equal(damaged, await App.ReadStoredFileAsync(key));

        await PutBackAsync(user, content, photoId, key);
    }

    /// <summary>The original written back by hand and copied again: the next repair finds nothing to do for this photo.</summary>
    private async Task PutBackAsync(HttpClient user, byte[] content, Guid photoId, string key)
    {
        await App.WriteStoredFileAsync(key, content);
        var copy = await CliRunner.RunAsync(App, "backup photos");
        var repair = await CliRunner.RunAsync(App, "fsck --repair-from-backup");
        Assert.True(copy.ExitCode == 0 && repair.ExitCode == 0, BackupTestKit.Describe(copy) + BackupTestKit.Describe(repair));
        Assert.Equal(content, await ServedOriginalAsync(user, photoId));
    }
}
