using System.Net.Http.Json;
using System.Security.Cryptography;
using Keepsake.Cli;
using Keepsake.Photos;
using Keepsake.Tests.Faults;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;

namespace Keepsake.Tests.Cli;

/// <summary>
/// <c>keepsake import</c> checks several photos at once (<c>Photos:DecodeParallelism</c>) and stores them in the folder's
/// order: what it stores and says does not depend on how many run at once, and an interruption in the middle of the
/// pipeline leaves each photo whole or absent.
/// </summary>
public sealed class ParallelImportTests
{
    private const string Admin = "admin@example.com";

    private static readonly string[] Photos =
    [
        "alpha.png", "apple-iphone-x-orientation-6-gps.webp", "exif-chunk-palette.png", "gps-apple-iphone4.jpg", "gps-samsung-galaxy-note5.jpg",
        "large-4608x3456-kodak-pixpro.jpg", "nikon-d1x.webp", "orientation-6-portrait.jpg", "photo-hopper.gif", "tiny-1x1-apple-iphone-xr.jpg",
    ];

    [Fact]
    public async Task A_parallel_import_stores_the_same_rows_files_and_hashes_and_prints_the_same_lines_as_a_sequential_one()
    {
        using var app = new KeepsakeApp();
        var admin = await app.CreateOwnerAsync(Admin);
        var sequential = await app.CreateUserAsync(admin, "sequential@example.com");
        var parallel = await app.CreateUserAsync(admin, "parallel@example.com");
        using var folder = new TemporaryFolder();
        var nested = Directory.CreateDirectory(Path.Combine(folder.Path, "nested")).FullName;
        for (var i = 0; i < Photos.Length; i++)
        {
            File.Copy(TestData.Photo(Photos[i]), Path.Combine(i % 2 == 0 ? folder.Path : nested, Photos[i]));
        }
        // The same bytes twice (the second is skipped, whichever batch each lands in) and a file that is not a photo.
        File.Copy(TestData.Photo("gps-apple-iphone4.jpg"), Path.Combine(nested, "the-same-as-gps-apple-iphone4.jpg"));
        File.Copy(TestData.Odd("text.jpg"), Path.Combine(folder.Path, "text.jpg"));

        var one = await ImportAsync(app, folder.Path, "sequential@example.com", parallelism: 1);
        var many = await ImportAsync(app, folder.Path, "parallel@example.com", parallelism: 4);

        Assert.True(one.ExitCode == 1, CliTranscript.Describe(one));
        Assert.Equal($"imported {Photos.Length}, skipped 1, ignored 0, failed 1", one.Lines[^1]);
        Assert.Equal(one.ExitCode, many.ExitCode);
        Assert.Equal(one.Lines, many.Lines);
        var storedOne = await StoredPhotosAsync(sequential);
        var storedMany = await StoredPhotosAsync(parallel);
        Assert.Equal(Photos.Order(StringComparer.Ordinal), storedOne.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(storedOne, storedMany);
        foreach (var name in Photos)
        {
            Assert.Equal(Sha256(await File.ReadAllBytesAsync(TestData.Photo(name))), storedMany[name].Original);
        }
    }

    [Fact]
    public async Task An_import_cancelled_in_the_middle_keeps_only_whole_photos_and_the_next_run_imports_the_rest()
    {
        using var scratch = new TemporaryFolder();
        using var app = new KeepsakeApp(Aftermath.ScratchIn(scratch.Path));
        var owner = await app.CreateOwnerAsync(Admin);
        using var folder = new TemporaryFolder();
        const int count = 40;
        PhotoCopies.Write(TestData.Photo("orientation-1-landscape.jpg"), folder.Path, count);
        using var cancel = new CancellationTokenSource();
        // Cancelled as the third photo is reported, while the checks of the next ones are in flight.
        using var output = new LineWatcher(line => line.StartsWith("imported ", StringComparison.Ordinal), 3, cancel);
        using var errors = new StringWriter();

        var exitCode = await KeepsakeCli.RunAsync(
            ["import", folder.Path, "--user", Admin], Settings(app, parallelism: 4), output, errors, new StringReader(""), cancel.Token);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 130, $"exit {exitCode}\n{output}\n{errors}");
        var imported = lines.Count(l => l.StartsWith("imported photo-", StringComparison.Ordinal));
        Assert.InRange(imported, 3, count - 1);
        Assert.Equal($"imported {imported}, skipped 0, ignored 0, failed 0, left {count - imported}; interrupted", lines[^1]);
        Assert.Equal(imported, (await owner.GetPageAsync("/api/photos?limit=500")).Items.Count);
        Assert.Equal(PhotoTestKit.FilesPerPhoto * imported, (await StoredPhotoFiles.ListAsync(app)).Count);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);

        var rest = await ImportAsync(app, folder.Path, Admin, parallelism: 4);

        Assert.True(rest.ExitCode == 0, CliTranscript.Describe(rest));
        Assert.Equal($"imported {count - imported}, skipped {imported}, ignored 0, failed 0", rest.Lines[^1]);
        Assert.Equal(count, (await owner.GetPageAsync("/api/photos?limit=500")).Items.Count);
        Assert.Equal(PhotoTestKit.FilesPerPhoto * count, (await StoredPhotoFiles.ListAsync(app)).Count);
        Aftermath.AssertNoScratchFolders(scratch.Path);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    private static Dictionary<string, string?> Settings(KeepsakeApp app, int parallelism)
    {
        var settings = app.Environment.ToDictionary(v => v.Key["KEEPSAKE_".Length..].Replace("__", ":", StringComparison.Ordinal), v => v.Value);
        settings["Photos:DecodeParallelism"] = parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static Task<CliResult> ImportAsync(KeepsakeApp app, string folder, string user, int parallelism) =>
        CliRunner.RunAsync(
            new Dictionary<string, string?>(app.Environment) { ["KEEPSAKE_Photos__DecodeParallelism"] = parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            $"import \"{folder}\" --user {user}");

    /// <summary>What a photo's row says (its id and upload time aside) and the hashes of its three files, by file name.</summary>
    private static async Task<Dictionary<string, StoredPhoto>> StoredPhotosAsync(HttpClient user)
    {
        var stored = new Dictionary<string, StoredPhoto>();
        foreach (var item in (await user.GetPageAsync("/api/photos?limit=500")).Items)
        {
            var details = (await user.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{item.Id}"))!;
            stored.Add(details.FileName, new StoredPhoto(
                $"{details.Format} {details.SizeBytes} {details.Width}x{details.Height} o{details.Orientation} {details.TakenAt} {details.Camera} {details.Location}",
                Sha256(await user.GetByteArrayAsync(details.OriginalUrl)),
                Sha256(await user.GetByteArrayAsync(details.PreviewUrl)),
                Sha256(await user.GetByteArrayAsync(details.ThumbnailUrl))));
        }
        return stored;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed record StoredPhoto(string Row, string Original, string Preview, string Thumbnail);

    /// <summary>The verb's standard output, which cancels <paramref name="cancel"/> once <paramref name="count"/> lines matched.</summary>
    private sealed class LineWatcher(Func<string, bool> matches, int count, CancellationTokenSource cancel) : StringWriter
    {
        private int _seen;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && matches(value) && Interlocked.Increment(ref _seen) == count)
            {
                cancel.Cancel();
            }
        }
    }
}
