using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Cli;

/// <summary><c>keepsake fsck [--repair] [--min-age-minutes n]</c>, run as the real binary.</summary>
public sealed class FsckCommandTests
{
    private const string Owner = "owner@example.com";

    /// <summary>
    /// An upload that crashed between writing its files and committing its row: the ingestor prepares
    /// the batch (three files in the data folder) and the commit never happens. Returns the written keys.
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
            Assert.Equal(3, batch!.WrittenKeys.Count);
            return batch.WrittenKeys.Order(StringComparer.Ordinal).ToList();
        }
    }

    private static string Describe(CliResult result) => $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";

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
        Assert.Equal(6, before.Count);
        Assert.All(orphans, key => Assert.Contains(key, before));

        var old = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        var young = await CliRunner.RunAsync(app, "fsck");

        Assert.True(old.ExitCode == 1, Describe(old));
        Assert.Equal(orphans, old.Lines.Where(l => l.StartsWith("orphan file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(old.Lines, l => l.StartsWith("missing file", StringComparison.Ordinal) || l.StartsWith("recent file", StringComparison.Ordinal));
        Assert.StartsWith("problems: 0 missing, 3 orphan", old.Lines[^1], StringComparison.Ordinal);
        Assert.Contains("--repair", old.Lines[^1], StringComparison.Ordinal);

        Assert.True(young.ExitCode == 0, Describe(young));
        Assert.Equal(orphans, young.Lines.Where(l => l.StartsWith("recent file ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.All(young.Lines.Where(l => l.StartsWith("recent file ", StringComparison.Ordinal)), l => Assert.EndsWith("left alone", l, StringComparison.Ordinal));
        Assert.DoesNotContain(young.Lines, l => l.StartsWith("orphan file", StringComparison.Ordinal));
        Assert.StartsWith("clean", young.Lines[^1], StringComparison.Ordinal);

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
        Assert.Equal(orphans.Select(k => k + " removed"), repair.Lines.Where(l => l.StartsWith("orphan file ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2] + " " + l.Split(' ')[^1]).Order(StringComparer.Ordinal));
        Assert.Equal(before.Except(orphans), app.StoredFiles());
        Assert.Equal(6, app.StoredFiles().Count);

        Assert.True(after.ExitCode == 0, Describe(after));
        Assert.Equal("checked 2 photos and 6 files", after.Lines[1]);
        Assert.Equal("clean: 0 missing, 0 orphan", after.Lines[^1]);

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
    public async Task A_photo_whose_thumbnail_file_is_gone_is_reported_missing_and_repair_keeps_its_row()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        var photo = await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg"));
        var thumbnail = Assert.Single(app.StoredFiles(), f => f.StartsWith(PhotoBlobs.ThumbnailsPrefix, StringComparison.Ordinal));
        await app.DeleteStoredFileAsync(thumbnail);

        var check = await CliRunner.RunAsync(app, "fsck");
        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");

        Assert.True(check.ExitCode == 1, Describe(check));
        Assert.Contains($"missing file {thumbnail} of photo {photo.Id}", check.Lines);
        Assert.StartsWith("problems: 1 missing, 0 orphan", check.Lines[^1], StringComparison.Ordinal);

        Assert.True(repair.ExitCode == 1, Describe(repair));
        Assert.Contains($"missing file {thumbnail} of photo {photo.Id}", repair.Lines);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(photo.OriginalUrl)).StatusCode);
        Assert.Equal(2, app.StoredFiles().Count);
    }

    [Fact]
    public async Task Half_a_file_left_by_a_crash_during_its_write_is_an_orphan_next_to_its_committed_photo()
    {
        using var app = new KeepsakeApp();
        var client = await app.CreateOwnerAsync(Owner);
        await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo("gps-apple-iphone4.jpg"));
        var thumbnail = Assert.Single(app.StoredFiles(), f => f.StartsWith(PhotoBlobs.ThumbnailsPrefix, StringComparison.Ordinal));
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
