using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Keepsake.Observability;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static Keepsake.Tests.Backups.PhotoBackupTestKit;

namespace Keepsake.Tests.Backups;

/// <summary>
/// <c>keepsake backup verify --photos</c>: every copy (or a sample) re-read from the target and hashed; a bad one is named
/// with the photos that hold it and forgotten, so the next <c>backup photos</c> copies it again. Every test leaves the
/// copies good, as the class's tests share them.
/// </summary>
public sealed partial class PhotoVerifyTests(SharedPhotoBackupApp shared) : IClassFixture<SharedPhotoBackupApp>
{
    private KeepsakeApp App => shared.App;

    private string CopyPath(string sha256) => Path.Combine(shared.TargetPath, KeyOf(sha256));

    private async Task<(byte[] Content, Guid PhotoId)> CopiedPhotoAsync(HttpClient user)
    {
        var content = UniqueJpeg(TestData.Photo("no-exif-casio.jpg"));
        var photo = await UploadAsync(user, content);
        var copy = await CliRunner.RunAsync(App, "backup photos");
        Assert.True(copy.ExitCode == 0, BackupTestKit.Describe(copy));
        return (content, photo.Id);
    }

    [Fact]
    public async Task Verify_photos_reads_every_copy_and_exits_zero_when_every_hash_matches()
    {
        var user = await shared.NewUserAsync();
        await CopiedPhotoAsync(user);
        await CopiedPhotoAsync(user);
        var copies = Directory.GetFiles(Path.Combine(shared.TargetPath, "sha256"), "*", SearchOption.AllDirectories).Length;

        var run = await CliRunner.RunAsync(App, "backup verify --photos");

        Assert.True(run.ExitCode == 0, BackupTestKit.Describe(run));
        Assert.Contains($"photo copies: checked {copies} of {copies} (", run.Output, StringComparison.Ordinal);
        Assert.Contains($"good {copies}, missing 0, corrupt 0, unreadable 0", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256 ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_photos_names_a_copy_with_a_flipped_byte_and_exits_non_zero_and_the_next_backup_copies_it_again()
    {
        var user = await shared.NewUserAsync();
        var (content, photoId) = await CopiedPhotoAsync(user);
        var sha256 = Sha256Of(content);
        await FlipAByteAsync(CopyPath(sha256));

        var found = await CliRunner.RunAsync(App, "backup verify --photos");

        Assert.True(found.ExitCode == 1, BackupTestKit.Describe(found));
        var line = Assert.Single(found.Error.Split('\n'), l => l.Contains(sha256, StringComparison.Ordinal) && !l.StartsWith('['));
        Assert.Contains("is corrupt: its bytes hash to", line, StringComparison.Ordinal);
        Assert.Contains($"held by photo {photoId}", line, StringComparison.Ordinal);
        Assert.Contains("corrupt 1", found.Output, StringComparison.Ordinal);

        var again = await CliRunner.RunAsync(App, "backup photos");
        var clean = await CliRunner.RunAsync(App, "backup verify --photos");

        Assert.True(again.ExitCode == 0, BackupTestKit.Describe(again));
        Assert.Contains("copied 1 (", again.Output, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(CopyPath(sha256)));
        Assert.True(clean.ExitCode == 0, BackupTestKit.Describe(clean));
    }

    [Fact]
    public async Task Verify_photos_names_a_missing_copy_with_every_photo_that_holds_its_content()
    {
        var owner = await shared.NewUserAsync();
        var friend = await shared.NewUserAsync();
        var (content, ownersPhoto) = await CopiedPhotoAsync(owner);
        var friendsPhoto = (await UploadAsync(friend, content)).Id;
        var sha256 = Sha256Of(content);
        File.Delete(CopyPath(sha256));

        var found = await CliRunner.RunAsync(App, "backup verify --photos");

        Assert.True(found.ExitCode == 1, BackupTestKit.Describe(found));
        var line = Assert.Single(found.Error.Split('\n'), l => l.Contains(sha256, StringComparison.Ordinal) && !l.StartsWith('['));
        Assert.Contains("is missing from the photo backup target", line, StringComparison.Ordinal);
        Assert.Contains(ownersPhoto.ToString(), line, StringComparison.Ordinal);
        Assert.Contains(friendsPhoto.ToString(), line, StringComparison.Ordinal);
        Assert.Contains("missing 1", found.Output, StringComparison.Ordinal);

        var again = await CliRunner.RunAsync(App, "backup photos");

        Assert.Contains("copied 1 (", again.Output, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(CopyPath(sha256)));
    }

    [Theory]
    [InlineData("50%")]
    [InlineData("0.1%")]
    [InlineData("25")]
    public async Task Verify_photos_with_a_sample_reads_that_share_of_the_copies_and_at_least_one(string sample)
    {
        var user = await shared.NewUserAsync();
        await CopiedPhotoAsync(user);
        await CopiedPhotoAsync(user);
        await CopiedPhotoAsync(user);

        var run = await CliRunner.RunAsync(App, $"backup verify --photos --sample {sample}");

        Assert.True(run.ExitCode == 0, BackupTestKit.Describe(run));
        var summary = Summary().Match(run.Output);
        Assert.True(summary.Success, run.Output);
        var percent = double.Parse(sample.TrimEnd('%'), CultureInfo.InvariantCulture);
        var recorded = int.Parse(summary.Groups["recorded"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(Math.Max(1, (int)Math.Ceiling(recorded * percent / 100)), int.Parse(summary.Groups["checked"].Value, CultureInfo.InvariantCulture));
        Assert.Contains($"(a {percent.ToString(CultureInfo.InvariantCulture)}% sample)", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("-5%")]
    [InlineData("ten")]
    [InlineData("10%%")]
    public async Task A_sample_that_is_not_a_share_of_the_copies_is_refused_naming_the_value(string sample)
    {
        var run = await CliRunner.RunAsync(App, $"backup verify --photos --sample {sample}");

        Assert.True(run.ExitCode == 2, BackupTestKit.Describe(run));
        Assert.Contains($"--sample '{sample}' is not a share of the copies", run.Error, StringComparison.Ordinal);
        Assert.Contains("above 0 and at most 100", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_a_backup_and_photos_checks_the_database_backup_and_the_photo_copies()
    {
        var user = await shared.NewUserAsync();
        await CopiedPhotoAsync(user);
        var backup = await CliRunner.RunAsync(App, "backup create");
        Assert.True(backup.ExitCode == 0, BackupTestKit.Describe(backup));

        var run = await CliRunner.RunAsync(App, "backup verify latest --photos");

        Assert.True(run.ExitCode == 0, BackupTestKit.Describe(run));
        Assert.Contains($"backup {backup.Output.Trim()} verified: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("photo copies: checked ", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backup verify --photos", "there are no photo copies to verify")]
    [InlineData("fsck --repair-from-backup", "there are no photo copies to repair from")]
    public async Task Without_a_photo_backup_target_verify_photos_and_repair_from_backup_say_so_and_exit_2(string arguments, string message)
    {
        var environment = App.Environment.ToDictionary();
        environment["KEEPSAKE_Backups__Photos__Provider"] = "none";

        var run = await CliRunner.RunAsync(environment, arguments);

        Assert.True(run.ExitCode == 2, BackupTestKit.Describe(run));
        Assert.Contains($"Backups:Photos:Provider is 'none': {message}", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backup verify", "name the backup to verify")]
    [InlineData("backup verify --sample 10%", "--sample applies to the photo copies: give it with --photos")]
    public async Task Verify_without_a_backup_or_photos_says_what_it_needs(string arguments, string message)
    {
        var run = await CliRunner.RunAsync(App, arguments);

        Assert.True(run.ExitCode == 2, BackupTestKit.Describe(run));
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_exports_the_newest_verification_as_its_failed_copies_and_the_time_of_the_last_good_one()
    {
        var meters = App.Services.GetRequiredService<IMeterFactory>();
        using var enabled = new MetricCollector<long>(meters, KeepsakeMetrics.MeterName, KeepsakeMetrics.PhotoBackupEnabled);
        using var failed = new MetricCollector<long>(meters, KeepsakeMetrics.MeterName, KeepsakeMetrics.PhotoBackupVerifyFailedCopies);
        using var lastSuccess = new MetricCollector<long>(meters, KeepsakeMetrics.MeterName, KeepsakeMetrics.PhotoBackupVerifyLastSuccess);
        var user = await shared.NewUserAsync();
        var (content, _) = await CopiedPhotoAsync(user);
        await FlipAByteAsync(CopyPath(Sha256Of(content)));

        Assert.Equal(1, (await CliRunner.RunAsync(App, "backup verify --photos")).ExitCode);
        Assert.Equal(1, await GaugeAsync(failed, value => value == 1));

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await CliRunner.RunAsync(App, "backup photos");
        Assert.Equal(0, (await CliRunner.RunAsync(App, "backup verify --photos")).ExitCode);

        Assert.Equal(0, await GaugeAsync(failed, value => value == 0));
        Assert.InRange(await GaugeAsync(lastSuccess, value => value >= before), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(1L, await GaugeAsync(enabled, value => value == 1));
    }

    /// <summary>The gauge's value once it satisfies <paramref name="expected"/>, or its last one after ten seconds (the server reads every second).</summary>
    private static async Task<T> GaugeAsync<T>(MetricCollector<T> gauge, Func<T, bool> expected)
        where T : struct
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            gauge.RecordObservableInstruments();
            if (gauge.LastMeasurement is { } measurement && (expected(measurement.Value) || DateTime.UtcNow > deadline))
            {
                return measurement.Value;
            }
            Assert.True(DateTime.UtcNow <= deadline, "the gauge was never observed");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"photo copies: checked (?<checked>\d+) of (?<recorded>\d+)")]
    private static partial Regex Summary();
}
