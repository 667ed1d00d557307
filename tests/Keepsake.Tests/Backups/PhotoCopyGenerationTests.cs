using System.Security.Cryptography;
using System.Text.Json;
using Keepsake.Backups;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Backups;

/// <summary>
/// A database backup records the photo-copy generation it needs; <c>backup verify</c> and <c>backup restore</c> say
/// whether the photo backup target holds it, and a restored database finds the copy of every original it names.
/// </summary>
public sealed class PhotoCopyGenerationTests
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    private static async Task<BackupManifest> ManifestAsync(KeepsakeApp app, CliResult created)
    {
        Assert.True(created.ExitCode == 0, Describe(created));
        var bytes = await app.ReadStoredFileAsync($"backups/{created.Output.Trim()}/manifest.json");
        return JsonSerializer.Deserialize<BackupManifest>(bytes, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    [Fact]
    public async Task A_backup_records_the_generation_its_photos_need_and_verify_says_when_the_target_lacks_it()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        using var target = new TemporaryFolder();
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(target.Path));
        Assert.Equal(0, (await CliRunner.RunAsync(environment, "backup photos")).ExitCode);

        var copied = await ManifestAsync(app, await CliRunner.RunAsync(environment, "backup create"));
        var verified = await CliRunner.RunAsync(environment, $"backup verify {copied.Id}");

        Assert.Equal(1, copied.PhotoCopyGeneration);
        Assert.True(verified.ExitCode == 0, Describe(verified));
        Assert.Contains("photo copies: the photo backup target holds copies through generation 1; this backup needs 1", verified.Output, StringComparison.Ordinal);

        // A photo uploaded since the last copy run: the backup needs the next run's copies.
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var waiting = await ManifestAsync(app, await CliRunner.RunAsync(environment, "backup create"));
        var behind = await CliRunner.RunAsync(environment, $"backup verify {waiting.Id}");

        Assert.Equal(2, waiting.PhotoCopyGeneration);
        Assert.True(behind.ExitCode == 0, Describe(behind));
        Assert.Contains("warning: photo copies: the photo backup target holds copies only through generation 1; this backup needs 2", behind.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(environment, "backup photos")).ExitCode);
        var caughtUp = await CliRunner.RunAsync(environment, $"backup verify {waiting.Id}");
        Assert.Contains("holds copies through generation 2; this backup needs 2", caughtUp.Output, StringComparison.Ordinal);

        // Another, empty target (or none at all) is named for what it is.
        using var elsewhere = new TemporaryFolder();
        var empty = await CliRunner.RunAsync(PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(elsewhere.Path)), $"backup verify {waiting.Id}");
        Assert.Contains($"the photo backup target (folder {elsewhere.Path}) holds no photo backup run; this backup needs generation 2", empty.Error, StringComparison.Ordinal);
        var notAFolder = Path.Combine(elsewhere.Path, "a-file");
        await File.WriteAllTextAsync(notAFolder, "not a folder");
        var unreadable = await CliRunner.RunAsync(PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(notAFolder)), $"backup verify {waiting.Id}");
        Assert.True(unreadable.ExitCode == 0, Describe(unreadable));
        Assert.Contains($"warning: photo copies: the photo backup target (folder {notAFolder}) cannot be read", unreadable.Error, StringComparison.Ordinal);
        var none = await CliRunner.RunAsync(app, $"backup verify {waiting.Id}");
        Assert.Contains("the photos have no second copy (Backups:Photos:Provider is 'none'); this backup needs photo-copy generation 2", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restored_database_finds_the_copy_of_every_original_it_names()
    {
        using var app = new KeepsakeApp();
        await BackupTestKit.CreateLibraryAsync(app);
        using var target = new TemporaryFolder();
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(target.Path));
        Assert.Equal(0, (await CliRunner.RunAsync(environment, "backup photos")).ExitCode);
        var backup = await ManifestAsync(app, await CliRunner.RunAsync(environment, "backup create"));
        // The library moves on after the backup: another photo, copied in a later generation.
        var owner = await app.LoginAsync(BackupTestKit.Owner);
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("orientation-1-landscape.jpg"));
        Assert.Equal(0, (await CliRunner.RunAsync(environment, "backup photos")).ExitCode);

        var restored = await CliRunner.RunAsync(environment, $"backup restore {backup.Id} --yes");

        Assert.True(restored.ExitCode == 0, Describe(restored));
        Assert.Contains("photo copies: the photo backup target holds copies through generation 2; this backup needs 1", restored.Output, StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var named = await db.Photos.Select(p => p.Sha256).Distinct().ToListAsync();
        Assert.Equal(3, named.Count);
        foreach (var sha256 in named)
        {
            var copy = Path.Combine(target.Path, PhotoCopier.KeyOf(sha256));
            Assert.True(File.Exists(copy), $"the restored database names {sha256}, which has no copy");
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(copy))));
        }
        Assert.Equal(named.Order(StringComparer.Ordinal), (await db.PhotoCopies.Select(c => c.Sha256).ToListAsync()).Order(StringComparer.Ordinal));
    }
}
