using System.Security.Cryptography;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Backups;

/// <summary>
/// <c>keepsake backup photos</c> in the test process, on the app's primary storage (a folder on the embedded stack, S3
/// on the scale stack), to a folder and to a second S3 server: every original's content once, under its SHA-256.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class PhotoCopyTests(S3Server s3)
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    private static readonly string[] Imported = ["gps-apple-iphone4.jpg", "no-exif-casio.jpg", "orientation-6-portrait.jpg"];

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string KeyOf(string sha256) => $"sha256/{sha256[..2]}/{sha256[2..4]}/{sha256}";

    private static IReadOnlyList<string> ExpectedKeys() =>
        Imported.Select(name => KeyOf(Sha256Of(File.ReadAllBytes(TestData.Photo(name))))).Order(StringComparer.Ordinal).ToList();

    private static long ImportedBytes() => Imported.Sum(name => new FileInfo(TestData.Photo(name)).Length);

    [Fact]
    public async Task Every_original_is_copied_to_a_folder_once_by_its_hash_and_a_second_run_copies_nothing_and_reads_no_photo()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        // The friend holds the same bytes as one of the owner's photos: four photos, three contents.
        var friend = await app.LoginAsync(library.FriendEmail);
        await KeepsakeApp.UploadPhotoAsync(friend, TestData.Photo(Imported[0]));
        using var target = new TemporaryFolder();
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(target.Path));

        var first = await CliRunner.RunAsync(environment, "backup photos");

        Assert.True(first.ExitCode == 0, Describe(first));
        Assert.Contains($"copied 3 ({ImportedBytes()} bytes), already there 0, failed 0", first.Output, StringComparison.Ordinal);
        Assert.Equal(ExpectedKeys(), target.Files("sha256").Order(StringComparer.Ordinal).ToList());
        foreach (var name in Imported)
        {
            var bytes = await File.ReadAllBytesAsync(TestData.Photo(name));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(target.Path, KeyOf(Sha256Of(bytes)))));
        }

        // Every original in primary storage now unreadable as a photo: a run that read one would report it.
        foreach (var original in app.StoredFiles().Where(k => k.StartsWith("originals/", StringComparison.Ordinal)))
        {
            await app.WriteStoredFileAsync(original, "not the photo"u8.ToArray());
        }
        var second = await CliRunner.RunAsync(environment, "backup photos");

        Assert.True(second.ExitCode == 0, Describe(second));
        Assert.Contains("copied 0 (0 bytes), already there 3, failed 0", second.Output, StringComparison.Ordinal);
        Assert.Equal(ExpectedKeys(), target.Files("sha256").Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Every_original_is_copied_to_a_second_S3_server_by_its_hash()
    {
        using var app = new KeepsakeApp();
        await BackupTestKit.CreateLibraryAsync(app);
        var bucket = await s3.CreateBucketAsync();
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.S3Target(s3, bucket));

        var run = await CliRunner.RunAsync(environment, "backup photos");

        Assert.True(run.ExitCode == 0, Describe(run));
        Assert.Contains($"copied 3 ({ImportedBytes()} bytes), already there 0, failed 0", run.Output, StringComparison.Ordinal);
        Assert.Equal(ExpectedKeys(), (await s3.KeysAsync(bucket)).Where(k => k.StartsWith("sha256/", StringComparison.Ordinal)).ToList());
        foreach (var key in ExpectedKeys())
        {
            using var response = await s3.Client.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            Assert.Equal(key[(key.LastIndexOf('/') + 1)..], Sha256Of(copy.ToArray()));
        }
    }

    [Fact]
    public async Task An_original_whose_bytes_no_longer_match_its_hash_is_reported_by_photo_and_not_copied()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var good = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Imported[0]));
        var damaged = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(Imported[1]));
        var key = app.StoredFiles().Single(k => k.StartsWith("originals/", StringComparison.Ordinal) && k.EndsWith($"{damaged.Id:N}", StringComparison.Ordinal));
        var bytes = await app.ReadStoredFileAsync(key);
        bytes[bytes.Length / 2] ^= 0xFF;
        await app.WriteStoredFileAsync(key, bytes);
        using var target = new TemporaryFolder();

        var run = await CliRunner.RunAsync(PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(target.Path)), "backup photos");

        Assert.True(run.ExitCode == 1, Describe(run));
        Assert.Contains($"photo {damaged.Id}", run.Error, StringComparison.Ordinal);
        Assert.Contains("does not match its SHA-256", run.Error, StringComparison.Ordinal);
        Assert.Contains("copied 1", run.Output, StringComparison.Ordinal);
        Assert.Contains("failed 1", run.Output, StringComparison.Ordinal);
        var goodKey = KeyOf(Sha256Of(await File.ReadAllBytesAsync(TestData.Photo(Imported[0]))));
        Assert.Equal([goodKey], target.Files("sha256"));
        Assert.DoesNotContain(good.Id.ToString(), run.Error, StringComparison.Ordinal);
    }
}
