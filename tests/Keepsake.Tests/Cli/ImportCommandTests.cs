using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Cli;

/// <summary><c>keepsake import &lt;folder&gt; --user &lt;email&gt;</c>, run as the real binary.</summary>
public sealed class ImportCommandTests
{
    private const string Owner = "owner@example.com";

    /// <summary>The files of the shared photos folder that are not photos.</summary>
    private static readonly string[] NotPhotos = ["MANIFEST.tsv", "SOURCES.md"];

    private static List<string> PhotoNames() =>
        Directory.EnumerateFiles(TestData.PhotosFolder)
            .Select(Path.GetFileName)
            .Select(name => name!)
            .Where(name => !NotPhotos.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public async Task Importing_the_photos_folder_imports_every_photo_and_ignores_the_two_manifests()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync(Owner);
        var photos = PhotoNames();
        Assert.NotEmpty(photos);

        var result = await CliRunner.RunAsync(app, $"import \"{TestData.PhotosFolder}\" --user {Owner}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Equal($"imported {photos.Count}, skipped 0, ignored 2, failed 0", result.Lines[^1]);
        Assert.Equal(photos.Select(p => "imported " + p), result.Lines.SkipLast(1).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(result.Lines, l => l.Contains("MANIFEST.tsv", StringComparison.Ordinal) || l.Contains("SOURCES.md", StringComparison.Ordinal));

        var page = await owner.GetFromJsonAsync<PhotoPageDto>("/api/photos?limit=500");
        Assert.Equal(photos.Count, page!.Items.Count);
        Assert.Null(page.NextCursor);
        Assert.Equal(photos.Count, app.StoredFiles().Count(f => f.StartsWith(PhotoBlobs.OriginalsPrefix, StringComparison.Ordinal)));
        var first = page.Items[0];
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(first.ThumbnailUrl)).StatusCode);
    }

    [Fact]
    public async Task Importing_the_same_folder_twice_skips_everything_the_second_time()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync(Owner);
        var photos = PhotoNames();
        var first = await CliRunner.RunAsync(app, $"import \"{TestData.PhotosFolder}\" --user {Owner}");
        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        var filesAfterFirst = app.StoredFiles();

        var second = await CliRunner.RunAsync(app, $"import \"{TestData.PhotosFolder}\" --user {Owner}");

        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.Equal($"imported 0, skipped {photos.Count}, ignored 2, failed 0", second.Lines[^1]);
        Assert.Equal(photos.Select(p => $"skipped {p} (already in the library)"), second.Lines.SkipLast(1).Order(StringComparer.Ordinal));
        Assert.Equal(filesAfterFirst, app.StoredFiles());
        var page = await owner.GetFromJsonAsync<PhotoPageDto>("/api/photos?limit=500");
        Assert.Equal(photos.Count, page!.Items.Count);
    }

    [Fact]
    public async Task Importing_the_odd_files_reports_each_rejected_file_with_its_reason_and_stores_nothing_for_it()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync(Owner);
        using var copy = new TemporaryFolder();
        foreach (var file in Directory.EnumerateFiles(TestData.OddFolder))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }
        var manifest = TestData.Manifest(TestData.OddFolder);
        // The import verb only looks at photo extensions: the manifests and the SVG are ignored, never decoded.
        string[] ignored = ["MANIFEST.tsv", "SOURCES.md", "svg-with-script.svg"];

        var result = await CliRunner.RunAsync(app, $"import \"{copy.Path}\" --user {Owner}");

        var report = $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";
        Assert.True(result.ExitCode == 1, report);
        Assert.DoesNotContain("Unhandled", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        var failed = result.Lines.Where(l => l.StartsWith("failed ", StringComparison.Ordinal)).ToList();
        var imported = result.Lines.Where(l => l.StartsWith("imported ", StringComparison.Ordinal) && !l.Contains(',', StringComparison.Ordinal))
            .Select(l => l["imported ".Length..]).ToList();
        foreach (var row in manifest)
        {
            var name = row["file"];
            var failure = failed.SingleOrDefault(l => l.StartsWith($"failed {name}: ", StringComparison.Ordinal));
            switch (row["expected"])
            {
                case "accept":
                    Assert.True(imported.Contains(name), $"{name} should be imported.\n{report}");
                    break;
                case "reject-clear-error" when ignored.Contains(name):
                    Assert.DoesNotContain(name, imported);
                    Assert.Null(failure);
                    break;
                case "reject-clear-error":
                    Assert.True(failure is not null, $"{name} should be reported as failed.\n{report}");
                    Assert.True(failure!.Length > $"failed {name}: ".Length + 10, $"The reason for {name} is not a sentence: {failure}");
                    break;
                case "accept-or-reject-clear-error":
                    Assert.True(imported.Contains(name) ^ failure is not null, $"{name} should be either imported or failed.\n{report}");
                    break;
                default:
                    Assert.Fail($"Unknown expectation '{row["expected"]}' for {name}.");
                    break;
            }
        }
        Assert.Equal($"imported {imported.Count}, skipped 0, ignored {ignored.Length}, failed {failed.Count}", result.Lines[^1]);
        Assert.Equal(manifest.Count, imported.Count + failed.Count + 1);

        var stored = app.StoredFiles();
        Assert.Equal(imported.Count, stored.Count(f => f.StartsWith(PhotoBlobs.OriginalsPrefix, StringComparison.Ordinal)));
        Assert.Equal(2 * imported.Count, stored.Count(f => f.StartsWith(PhotoBlobs.ThumbnailsPrefix, StringComparison.Ordinal)));
        Assert.Equal(imported.Count, stored.Count(f => f.StartsWith(PhotoBlobs.PreviewsPrefix, StringComparison.Ordinal)));
        Assert.Equal(PhotoTestKit.FilesPerPhoto * imported.Count, stored.Count);
        var page = await owner.GetFromJsonAsync<PhotoPageDto>("/api/photos?limit=500");
        Assert.Equal(imported.Count, page!.Items.Count);
    }

    [Fact]
    public async Task Output_to_a_pipe_is_one_plain_line_per_file_without_escape_codes()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        File.Copy(TestData.Photo("gps-apple-iphone4.jpg"), Path.Combine(folder.Path, "a.jpg"));
        File.Copy(TestData.Photo("gps-apple-iphone4.jpg"), Path.Combine(folder.Path, "b.jpg"));
        File.Copy(TestData.Odd("text.jpg"), Path.Combine(folder.Path, "c.jpg"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "notes.txt"), "not a photo");

        var result = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Output);
        Assert.DoesNotContain('\r', result.Output);
        Assert.Equal(
            [
                "imported a.jpg",
                "skipped b.jpg (already in the library)",
                "failed c.jpg: 'c.jpg' is not a photo Keepsake can store. Supported formats: JPEG, PNG, WebP, TIFF, GIF, AVIF, HEIC/HEIF, JPEG XL and JPEG 2000.",
                "imported 1, skipped 1, ignored 1, failed 1",
            ],
            result.Lines);
    }

    [Fact]
    public async Task Photos_in_nested_folders_are_imported_recursively()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        var deep = Directory.CreateDirectory(Path.Combine(folder.Path, "2019", "summer", "beach")).FullName;
        File.Copy(TestData.Photo("no-exif-casio.jpg"), Path.Combine(folder.Path, "top.jpg"));
        File.Copy(TestData.Photo("alpha.png"), Path.Combine(folder.Path, "2019", "alpha.png"));
        File.Copy(TestData.Photo("nikon-d1x.webp"), Path.Combine(folder.Path, "2019", "summer", "nikon.webp"));
        File.Copy(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"), Path.Combine(deep, "tiny.jpg"));

        var result = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Equal("imported 4, skipped 0, ignored 0, failed 0", result.Lines[^1]);
        Assert.Contains("imported 2019/summer/beach/tiny.jpg", result.Lines);
        Assert.Contains("imported 2019/summer/nikon.webp", result.Lines);
        var page = await owner.GetFromJsonAsync<PhotoPageDto>("/api/photos");
        Assert.Equal(4, page!.Items.Count);
    }

    [Fact]
    public async Task A_photo_that_says_nowhere_when_it_was_taken_is_dated_by_its_file_time_and_one_that_does_keeps_its_own()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        var fileTime = new DateTime(2015, 3, 1, 10, 20, 30, DateTimeKind.Utc);
        foreach (var (photo, name) in new[] { ("no-exif-casio.jpg", "scan.jpg"), ("gps-apple-iphone4.jpg", "dated.jpg") })
        {
            var copy = Path.Combine(folder.Path, name);
            File.Copy(TestData.Photo(photo), copy);
            File.SetLastWriteTimeUtc(copy, fileTime);
        }

        var result = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        var photos = (await owner.GetFromJsonAsync<PhotoPageDto>("/api/photos"))!.Items;
        var details = await Task.WhenAll(photos.Select(p => owner.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{p.Id}")));
        var scan = details.Single(p => p!.FileName == "scan.jpg")!;
        var dated = details.Single(p => p!.FileName == "dated.jpg")!;
        Assert.Equal(("2015-03-01T10:20:30+00:00", "file-time"), (scan.TakenAt, scan.TakenAtSource));
        Assert.Equal("exif", dated.TakenAtSource);
        Assert.NotEqual("2015-03-01T10:20:30+00:00", dated.TakenAt);
    }

    [Fact]
    public async Task A_symbolic_link_to_a_parent_folder_is_not_followed_round_in_a_loop()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync(Owner);
        using var folder = new TemporaryFolder();
        var sub = Directory.CreateDirectory(Path.Combine(folder.Path, "sub")).FullName;
        File.Copy(TestData.Photo("alpha.png"), Path.Combine(sub, "alpha.png"));
        Directory.CreateSymbolicLink(Path.Combine(sub, "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "linked.jpg"), TestData.Photo("no-exif-casio.jpg"));

        var result = await CliRunner.RunAsync(app, $"import \"{folder.Path}\" --user {Owner}");

        // Neither link is followed (see Security.ImportSafetyTests): both are reported as skipped.
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Equal(
            [
                "skipped sub/loop (a linked folder: not entered)",
                "skipped linked.jpg (a symbolic link: only regular files are imported)",
                "imported sub/alpha.png",
                "imported 1, skipped 2, ignored 0, failed 0",
            ],
            result.Lines);
    }

    [Fact]
    public async Task Importing_for_an_unknown_user_exits_2_and_names_the_address()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync(Owner);

        var result = await CliRunner.RunAsync(app, $"import \"{TestData.PhotosFolder}\" --user nobody@example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nobody@example.com", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        Assert.Empty(app.StoredFiles());
    }

    [Fact]
    public async Task Importing_a_folder_that_does_not_exist_fails_with_a_clear_message()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync(Owner);
        var missing = Path.Combine(app.Folder.Path, "no-such-folder");

        var result = await CliRunner.RunAsync(app, $"import \"{missing}\" --user {Owner}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"there is no folder '{missing}'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        Assert.Empty(app.StoredFiles());
    }
}
