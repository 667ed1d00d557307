using System.Diagnostics;
using System.Globalization;
using System.Net;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Keepsake.Tests.Storage;
using Xunit.Abstractions;
using static Keepsake.Tests.Backups.PhotoBackupTestKit;

namespace Keepsake.Tests.Backups;

/// <summary>
/// The disaster drill, on the app's primary storage (a folder on the embedded stack, S3 on the scale stack), with its copies in
/// a folder and on a second S3 server: import, <c>backup photos</c>, lose every file of primary storage,
/// <c>fsck --repair-from-backup</c>, and the library is back, byte for byte, thumbnails included; <c>fsck</c> is clean.
/// Each test is about the whole app (every file in its store), so each has an app of its own; the output gives the numbers.
/// </summary>
[Collection(S3Collection.Name)]
[Trait(Drill.Category, Drill.Name)]
public sealed class PhotoDisasterDrillTests(S3Server s3, ITestOutputHelper output)
{
    private const string Owner = "owner@example.com";

    /// <summary>A few photos of different formats, for the drill that need not import every test photo.</summary>
    private static readonly string[] Few = ["gps-apple-iphone4.jpg", "alpha.png", "nikon-d1x.webp", "orientation-6-portrait.jpg"];

    [Fact]
    public async Task Primary_storage_lost_entirely_is_brought_back_from_copies_in_a_folder_byte_for_byte_with_its_thumbnails()
    {
        using var target = new TemporaryFolder();
        // Every test photo once, on the embedded stack; a few on the scale stack, where each file is an S3 round trip.
        using var photos = new TemporaryFolder();
        foreach (var name in KeepsakeApp.OnScaleStack ? Few : Directory.GetFiles(TestData.PhotosFolder).Select(Path.GetFileName))
        {
            File.Copy(TestData.Photo(name!), Path.Combine(photos.Path, name!));
        }

        await RunDrillAsync("in a folder", FolderTarget(target.Path), photos.Path);
    }

    [Fact]
    public async Task Primary_storage_lost_entirely_is_brought_back_from_copies_on_a_second_S3_server_and_a_flipped_byte_there_is_found_first()
    {
        var bucket = await s3.CreateBucketAsync();
        using var photos = new TemporaryFolder();
        foreach (var name in Few)
        {
            File.Copy(TestData.Photo(name), Path.Combine(photos.Path, name));
        }

        await RunDrillAsync("on a second S3 server", S3Target(s3, bucket), photos.Path, async (app, copied) =>
        {
            // Damage one copy on the target: verification finds it, the next backup copies it again.
            var sha256 = copied[0];
            using var response = await s3.Client.GetObjectAsync(bucket, KeyOf(sha256));
            using var bytes = new MemoryStream();
            await response.ResponseStream.CopyToAsync(bytes);
            var damaged = bytes.ToArray();
            damaged[damaged.Length / 2] ^= 0xFF;
            await s3.Client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = KeyOf(sha256), InputStream = new MemoryStream(damaged), UseChunkEncoding = false });

            var found = await CliRunner.RunAsync(app, "backup verify --photos");

            Assert.True(found.ExitCode == 1, BackupTestKit.Describe(found));
            Assert.Contains($"sha256 {sha256}: copy {KeyOf(sha256)} is corrupt", found.Error, StringComparison.Ordinal);
            var again = await CliRunner.RunAsync(app, "backup photos");
            Assert.Contains("copied 1 (", again.Output, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// The drill on a new app whose copies go to <paramref name="target"/>: <paramref name="beforeTheLoss"/> runs once the
    /// copies are made, given their hashes.
    /// </summary>
    private async Task RunDrillAsync(string targetName, Dictionary<string, string?> target, string photosFolder, Func<KeepsakeApp, IReadOnlyList<string>, Task>? beforeTheLoss = null)
    {
        using var app = new KeepsakeApp(target);
        var owner = await app.CreateOwnerAsync(Owner);
        var import = await CliRunner.RunAsync(app, $"import {photosFolder} --user {Owner}");
        var imported = await ImportedAsync(owner);
        Assert.True(imported.Count > 0, BackupTestKit.Describe(import));
        var bytes = imported.Sum(p => p.Content.Length);

        var copying = Stopwatch.StartNew();
        var copy = await CliRunner.RunAsync(app, "backup photos");
        copying.Stop();
        Assert.True(copy.ExitCode == 0, BackupTestKit.Describe(copy));
        var contents = imported.Select(p => Sha256Of(p.Content)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains($"copied {contents.Count} (", copy.Output, StringComparison.Ordinal);
        if (beforeTheLoss is not null)
        {
            await beforeTheLoss(app, contents);
        }
        var verified = await CliRunner.RunAsync(app, "backup verify --photos");
        Assert.True(verified.ExitCode == 0, BackupTestKit.Describe(verified));

        await LoseEveryStoredFileAsync(app);
        Assert.Empty(app.StoredFiles());
        var repairing = Stopwatch.StartNew();
        var repair = await CliRunner.RunAsync(app, "fsck --repair-from-backup");
        repairing.Stop();

        Assert.True(repair.ExitCode == 0, BackupTestKit.Describe(repair));
        Assert.Contains($"restored {imported.Count} ({bytes} bytes), not restored 0", repair.Output, StringComparison.Ordinal);
        foreach (var photo in imported)
        {
            var original = await owner.GetAsync($"/api/photos/{photo.Id}/original");
            Assert.Equal(HttpStatusCode.OK, original.StatusCode);
            var served = await original.Content.ReadAsByteArrayAsync();
            Assert.True(photo.Content.AsSpan().SequenceEqual(served), $"{photo.FileName} is not the imported file");
            foreach (var variant in new[] { "thumbnail", "preview" })
            {
                var derived = await owner.GetAsync($"/api/photos/{photo.Id}/{variant}");
                Assert.True(derived.StatusCode == HttpStatusCode.OK, $"{variant} of {photo.FileName}: {derived.StatusCode}");
                Assert.NotEmpty(await derived.Content.ReadAsByteArrayAsync());
            }
        }
        var fsck = await CliRunner.RunAsync(app, "fsck");
        Assert.True(fsck.ExitCode == 0, BackupTestKit.Describe(fsck));
        Assert.Contains("clean:", fsck.Output, StringComparison.Ordinal);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"disaster drill, primary {(KeepsakeApp.OnScaleStack ? "S3" : "a folder")}, copies {targetName}: {imported.Count} photos, {contents.Count} files, " +
            $"{bytes} bytes; backup photos {copying.Elapsed.TotalSeconds:0.00} s, fsck --repair-from-backup {repairing.Elapsed.TotalSeconds:0.00} s " +
            $"(originals restored and thumbnails and previews remade)"));
    }

    private sealed record ImportedPhoto(Guid Id, string FileName, byte[] Content);

    /// <summary>The owner's photos, each with the bytes of the file it was imported from.</summary>
    private static async Task<IReadOnlyList<ImportedPhoto>> ImportedAsync(HttpClient owner)
    {
        var photos = new List<ImportedPhoto>();
        foreach (var summary in await PhotoTestKit.TimelineAsync(owner))
        {
            var details = await (await owner.GetAsync($"/api/photos/{summary.Id}")).ReadAsync<Keepsake.Photos.PhotoDetailsDto>();
            photos.Add(new ImportedPhoto(details.Id, details.FileName, await File.ReadAllBytesAsync(TestData.Photo(details.FileName))));
        }
        return photos;
    }

    /// <summary>Every file of primary storage gone: the data folder itself, or every object of the bucket.</summary>
    private static async Task LoseEveryStoredFileAsync(KeepsakeApp app)
    {
        if (!KeepsakeApp.OnScaleStack)
        {
            Directory.Delete(app.DataPath, recursive: true);
            return;
        }
        foreach (var key in app.StoredFiles())
        {
            await app.DeleteStoredFileAsync(key);
        }
    }
}
