using System.Net;
using System.Net.Http.Json;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Cli;

/// <summary><c>keepsake fsck [--repair] [--min-age-minutes n]</c>, run as the real binary.</summary>
public sealed class FsckCommandTests
{
    private const string Owner = "owner@example.com";

    /// <summary>
    /// An upload that crashed between writing its files and committing its row: the ingestor prepares
    /// the batch (its four files in the data folder) and the commit never happens. Returns the written keys.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CrashAfterWritingFilesAsync(KeepsakeApp app, string photoPath)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var owner = await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(Owner);
        var ingestor = scope.ServiceProvider.GetRequiredService<PhotoIngestor>();
        await using var content = File.OpenRead(photoPath);
        var (staged, rejection) = await ingestor.StageAsync(content, Path.GetFileName(photoPath), CancellationToken.None);
        Assert.Null(rejection);
        using (staged)
        {
            var (batch, prepareRejection, _) = await ingestor.PrepareAsync(owner!.Id, [staged!], CancellationToken.None);
            Assert.Null(prepareRejection);
            Assert.Equal(PhotoTestKit.FilesPerPhoto, batch!.WrittenKeys.Count);
            return batch.WrittenKeys.Order(StringComparer.Ordinal).ToList();
        }
    }

    private static string Describe(CliResult result) => $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";

    /// <summary>The owner's id, read from the key of the photo's original in the store.</summary>
    private static Guid OwnerOf(KeepsakeApp app, PhotoDetailsDto photo) =>
        PhotoBlobs.OwnerIdOf(app.StoredFiles().Single(f => f.StartsWith(PhotoBlobs.OriginalsPrefix, StringComparison.Ordinal) && f.EndsWith(photo.Id.ToString("N"), StringComparison.Ordinal)))!.Value;

    [Fact]
    public async Task A_fresh_library_is_clean()
    {
        using var app = new KeepsakeApp();

        var result = await CliRunner.RunAsync(app, "fsck");

        Assert.True(result.ExitCode == 0, Describe(result));
        Assert.Equal("database integrity: ok", result.Lines[0]);
        Assert.StartsWith("clean", result.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_left_by_a_crash_before_commit_are_orphans_once_old_enough_and_recent_before()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg"));
        var orphans = await CrashAfterWritingFilesAsync(app, TestData.Photo("no-exif-casio.jpg"));
        var before = app.StoredFiles();
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, before.Count);
        Assert.All(orphans, key => Assert.Contains(key, before));

        var old = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        var young = await CliRunner.RunAsync(app, "fsck");

        Assert.True(old.ExitCode == 1, Describe(old));
        Assert.Equal(orphans, old.Lines.Where(l => l.StartsWith("orphan file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(old.Lines, l => l.StartsWith("missing file", StringComparison.Ordinal) || l.StartsWith("recent file", StringComparison.Ordinal));
        Assert.StartsWith("problems: 0 missing, 4 orphan, 0 erasure leftover, 0 marked missing, 0 held, 0 recent", old.Lines[^1], StringComparison.Ordinal);
        Assert.Contains("--repair", old.Lines[^1], StringComparison.Ordinal);

        Assert.True(young.ExitCode == 0, Describe(young));
        Assert.Equal(orphans, young.Lines.Where(l => l.StartsWith("recent file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.All(young.Lines.Where(l => l.StartsWith("recent file ", StringComparison.Ordinal)), l => Assert.EndsWith("left alone", l, StringComparison.Ordinal));
        Assert.DoesNotContain(young.Lines, l => l.StartsWith("orphan file", StringComparison.Ordinal));
        Assert.Equal("clean: 0 missing, 0 orphan, 0 erasure leftover, 0 marked missing, 0 held, 4 recent", young.Lines[^1]);

        Assert.Equal(before, app.StoredFiles());
    }

    [Fact]
    public async Task Repair_removes_exactly_the_orphan_files_and_the_library_is_clean_afterwards()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        var kept = new[]
        {
            await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg")),
            await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("alpha.png")),
        };
        var orphans = await CrashAfterWritingFilesAsync(app, TestData.Photo("no-exif-casio.jpg"));
        var before = app.StoredFiles();

        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");
        var after = await CliRunner.RunAsync(app, "fsck");

        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.EndsWith("; repaired: 4 removed", repair.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(orphans.Select(k => k + " removed"), repair.Lines.Where(l => l.StartsWith("orphan file ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2] + " " + l.Split(' ')[^1]).Order(StringComparer.Ordinal));
        Assert.Equal(before.Except(orphans), app.StoredFiles());
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);

        Assert.True(after.ExitCode == 0, Describe(after));
        Assert.Equal("checked 2 photos (0 in the trash) and 8 files", after.Lines[1]);
        Assert.Equal("clean: 0 missing, 0 orphan, 0 erasure leftover, 0 marked missing, 0 held, 0 recent", after.Lines[^1]);

        foreach (var photo in kept)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(photo.ThumbnailUrl)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(photo.PreviewUrl)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(photo.OriginalUrl)).StatusCode);
        }
        var page = await client.GetFromJsonAsync<PhotoPageDto>("/api/photos");
        Assert.Equal(kept.Select(p => p.Id).Order(), page!.Items.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task A_lost_thumbnail_large_thumbnail_or_preview_is_reported_and_repair_remakes_it_from_the_original()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        var photo = await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg"));
        var thumbnail = PhotoBlobs.Thumbnail(OwnerOf(app, photo), photo.Id);
        var large = PhotoBlobs.LargeThumbnail(OwnerOf(app, photo), photo.Id);
        var preview = PhotoBlobs.Preview(OwnerOf(app, photo), photo.Id);
        await app.DeleteStoredFileAsync(thumbnail);
        await app.DeleteStoredFileAsync(large);
        await app.DeleteStoredFileAsync(preview);

        var check = await CliRunner.RunAsync(app, "fsck");
        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");
        var after = await CliRunner.RunAsync(app, "fsck");

        Assert.True(check.ExitCode == 1, Describe(check));
        Assert.Contains($"missing file {thumbnail} of photo {photo.Id} ('keepsake fsck --repair' remakes it from the original)", check.Lines);
        Assert.StartsWith("problems: 3 missing, 0 orphan", check.Lines[^1], StringComparison.Ordinal);
        Assert.EndsWith("(run 'keepsake fsck --repair' to repair)", check.Lines[^1], StringComparison.Ordinal);

        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.Contains($"missing file {thumbnail} of photo {photo.Id}: remade from the original", repair.Lines);
        Assert.Contains($"missing file {large} of photo {photo.Id}: remade from the original", repair.Lines);
        Assert.Contains($"missing file {preview} of photo {photo.Id}: remade from the original", repair.Lines);
        Assert.EndsWith("; repaired: 3 remade", repair.Lines[^1], StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, Describe(after));
        Assert.Equal(PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count);
        var remade = await PhotoTestKit.GetImageAsync(client, photo.ThumbnailUrl, "image/webp");
        Assert.Equal(250, Math.Max(remade.Width, remade.Height));
        var largeThumbnail = Assert.Single(await PhotoTestKit.TimelineAsync(client)).Thumbnails[^1];
        Assert.Equal(400, (await PhotoTestKit.GetImageAsync(client, largeThumbnail.Url, "image/webp")).Height);
        Assert.False((await client.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{photo.Id}"))!.Missing);
    }

    [Fact]
    public async Task A_photo_whose_original_is_gone_is_marked_missing_by_repair_and_no_longer_once_the_original_is_back()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        var kept = await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("alpha.png"));
        var lost = await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg"));
        var original = PhotoBlobs.Original(OwnerOf(app, lost), lost.Id);
        var bytes = await app.ReadStoredFileAsync(original);
        await app.DeleteStoredFileAsync(original);

        var check = await CliRunner.RunAsync(app, "fsck");
        var repair = await CliRunner.RunAsync(app, "fsck --repair");
        var timeline = await client.GetFromJsonAsync<PhotoPageDto>("/api/photos");
        var again = await CliRunner.RunAsync(app, "fsck --repair");

        Assert.True(check.ExitCode == 1, Describe(check));
        Assert.Contains($"missing file {original} of photo {lost.Id}: the original ('keepsake fsck --repair' marks the photo missing)", check.Lines);
        Assert.StartsWith("problems: 1 missing, 0 orphan, 0 erasure leftover, 0 marked missing", check.Lines[^1], StringComparison.Ordinal);

        Assert.True(repair.ExitCode == 1, Describe(repair));
        Assert.Contains($"missing file {original} of photo {lost.Id}: the original; the photo is marked missing", repair.Lines);
        Assert.Contains($"marked missing: photo {lost.Id}; its owner sees a placeholder and can delete it", repair.Lines);
        Assert.StartsWith("problems: 1 missing, 0 orphan, 0 erasure leftover, 1 marked missing", repair.Lines[^1], StringComparison.Ordinal);
        Assert.Contains("; repaired: 1 newly marked missing", repair.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(new[] { (kept.Id, false), (lost.Id, true) }, timeline!.Items.Select(p => (p.Id, p.Missing)).OrderBy(p => p.Missing));
        Assert.True((await client.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{lost.Id}"))!.Missing);
        var problem = await (await client.GetAsync(lost.OriginalUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("File missing", problem.Title);
        Assert.Contains("missing from storage since", problem.Detail, StringComparison.Ordinal);

        // A second repair changes nothing: the photo stays marked until its original is back or its owner deletes it.
        Assert.True(again.ExitCode == 1, Describe(again));
        Assert.Contains(again.Lines, l => l.StartsWith($"marked missing: photo {lost.Id} since ", StringComparison.Ordinal));
        Assert.DoesNotContain("repaired:", again.Lines[^1], StringComparison.Ordinal);

        await app.WriteStoredFileAsync(original, bytes);
        var found = await CliRunner.RunAsync(app, "fsck --repair");

        Assert.True(found.ExitCode == 0, Describe(found));
        Assert.Contains($"found again: photo {lost.Id}'s original is back; no longer marked missing", found.Lines);
        Assert.Equal("clean: 0 missing, 0 orphan, 0 erasure leftover, 0 marked missing, 0 held, 0 recent; repaired: 1 found again", found.Lines[^1]);
        Assert.False((await client.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{lost.Id}"))!.Missing);
        Assert.Equal(bytes, await client.GetByteArrayAsync(lost.OriginalUrl));
    }

    [Fact]
    public async Task Half_a_file_left_by_a_crash_during_its_write_is_an_orphan_next_to_its_committed_photo()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg"));
        var thumbnail = Assert.Single(app.StoredFiles(), f => f.StartsWith(PhotoBlobs.ThumbnailsPrefix, StringComparison.Ordinal) && !f.EndsWith(".large.webp", StringComparison.Ordinal));
        // What the blob store's write leaves when the process dies before the rename.
        var partial = thumbnail + "." + Guid.NewGuid().ToString("N") + ".partial";
        await app.WriteStoredFileAsync(partial, [1, 2, 3]);

        var check = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");

        Assert.True(check.ExitCode == 1, Describe(check));
        Assert.Contains($"orphan file {partial} (3 bytes)", check.Lines);
        Assert.True(repair.ExitCode == 0, Describe(repair));
        Assert.DoesNotContain(partial, app.StoredFiles());
        Assert.Contains(thumbnail, app.StoredFiles());
    }

    [Fact]
    public async Task A_negative_minimum_age_is_refused()
    {
        using var app = new KeepsakeApp();

        var result = await CliRunner.RunAsync(app, "fsck --min-age-minutes -5");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--min-age-minutes", result.Error, StringComparison.Ordinal);
    }
}
