using System.Diagnostics;
using Keepsake.Backups;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Keepsake.Tests.Backups;

/// <summary>
/// <c>keepsake backup photos</c> as a job that can be cut short and started twice: an interrupted run is taken up where
/// it stopped, and only one run copies at a time, whoever started the other, even when the other's holder died.
/// </summary>
public sealed class PhotoBackupRunTests
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    /// <summary>A tmpfs file of this photo's copies takes four 4 KiB pages.</summary>
    private const long PagesPerCopy = 4 * 4096;

    private static async Task<IReadOnlyList<string>> UploadDistinctCopiesAsync(KeepsakeApp app, int count)
    {
        var owner = await app.CreateOwnerAsync();
        using var folder = new TemporaryFolder();
        foreach (var name in PhotoCopies.Write(TestData.Photo("no-exif-casio.jpg"), folder.Path, count))
        {
            await KeepsakeApp.UploadPhotoAsync(owner, Path.Combine(folder.Path, name));
        }
        return Directory.GetFiles(folder.Path);
    }

    /// <summary>The number after <paramref name="word"/> in a run's summary line.</summary>
    private static int Count(CliResult run, string word) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(run.Output, $@"\b{word} (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A copy written again (a new file moved into place) has another inode.</summary>
    private static long Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = long.Parse(stat.StandardOutput.ReadToEnd().Trim(), System.Globalization.CultureInfo.InvariantCulture);
        stat.WaitForExit();
        return inode;
    }

    [Fact]
    public async Task A_run_whose_target_fills_up_part_way_is_resumed_by_the_next_without_writing_again_what_it_copied()
    {
        using var app = new KeepsakeApp();
        await UploadDistinctCopiesAsync(app, 6);
        using var disk = SmallDisk.Mount(1024 * 1024);
        var filler = disk.Fill(leaveFreeBytes: 3 * PagesPerCopy + PagesPerCopy / 2);
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(disk.Path));

        var interrupted = await CliRunner.RunAsync(environment, "backup photos");

        Assert.True(interrupted.ExitCode == 1, Describe(interrupted));
        // Copies run at once, so which ones find the disk full is not fixed; the counts add up, and what was copied is there.
        var (copied, failed) = (Count(interrupted, "copied"), Count(interrupted, "failed"));
        Assert.True(copied >= 1 && failed >= 1 && copied + failed == 6, Describe(interrupted));
        var copiedFirst = Directory.GetFiles(Path.Combine(disk.Path, "sha256"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (Inode(f), File.GetLastWriteTimeUtc(f)), StringComparer.Ordinal);
        Assert.Equal(copied, copiedFirst.Count);

        File.Delete(filler);
        var resumed = await CliRunner.RunAsync(environment, "backup photos");

        Assert.True(resumed.ExitCode == 0, Describe(resumed));
        Assert.Contains($"copied {failed} ", resumed.Output, StringComparison.Ordinal);
        Assert.Contains($"already there {copied}, failed 0", resumed.Output, StringComparison.Ordinal);
        var copies = Directory.GetFiles(Path.Combine(disk.Path, "sha256"), "*", SearchOption.AllDirectories);
        Assert.Equal(6, copies.Length);
        // Not one of the first run's copies was written again: same file, same write time.
        foreach (var (path, identity) in copiedFirst)
        {
            Assert.Equal(identity, (Inode(path), File.GetLastWriteTimeUtc(path)));
        }
    }

    /// <summary>Cancels as the run reports starting its copy number <paramref name="number"/>, as a signal arriving then does.</summary>
    private sealed class CancelAtCopy(int number, CancellationTokenSource stop) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value)
        {
            if (value.Number == number)
            {
                stop.Cancel();
            }
        }
    }

    [Fact]
    public async Task A_run_cancelled_part_way_is_resumed_by_the_next_without_writing_again_what_it_copied()
    {
        using var target = new TemporaryFolder();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Backups:Photos:Provider"] = "filesystem",
            ["Backups:Photos:Path"] = target.Path,
        });
        await UploadDistinctCopiesAsync(app, 5);

        using (var stop = new CancellationTokenSource())
        {
            await using var scope = app.Services.CreateAsyncScope();
            var copier = scope.ServiceProvider.GetRequiredService<PhotoCopier>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copier.RunAsync(new CancelAtCopy(3, stop), stop.Token));
        }
        var copiedFirst = target.Files("sha256").ToDictionary(
            f => f, f => (Inode(Path.Combine(target.Path, f)), File.GetLastWriteTimeUtc(Path.Combine(target.Path, f))), StringComparer.Ordinal);
        // Copies run at once: those under way when the run was cancelled finished or left nothing, and each that finished was recorded.
        Assert.Empty(Directory.GetFiles(target.Path, "*.partial", SearchOption.AllDirectories));

        var resumed = await CliRunner.RunAsync(app, "backup photos");

        Assert.True(resumed.ExitCode == 0, Describe(resumed));
        Assert.Contains($"copied {5 - copiedFirst.Count} ", resumed.Output, StringComparison.Ordinal);
        Assert.Contains($"already there {copiedFirst.Count}, failed 0", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(5, target.Files("sha256").Count);
        foreach (var (file, identity) in copiedFirst)
        {
            var path = Path.Combine(target.Path, file);
            Assert.Equal(identity, (Inode(path), File.GetLastWriteTimeUtc(path)));
        }
    }

    [Fact]
    public async Task A_run_while_another_holds_the_lock_copies_nothing_says_so_and_exits_3_then_runs_once_it_is_released()
    {
        using var app = new KeepsakeApp();
        await UploadDistinctCopiesAsync(app, 2);
        using var target = new TemporaryFolder();
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(target.Path));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var database = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;

        CliResult refused;
        await using (var held = await PhotoBackupRunLock.TryTakeAsync(db, database, CancellationToken.None))
        {
            Assert.NotNull(held);
            refused = await CliRunner.RunAsync(environment, "backup photos");
        }

        Assert.True(refused.ExitCode == 3, Describe(refused));
        Assert.Contains("Another photo backup is running", refused.Error, StringComparison.Ordinal);
        Assert.Empty(target.Files());
        var after = await CliRunner.RunAsync(environment, "backup photos");
        Assert.True(after.ExitCode == 0, Describe(after));
        Assert.Contains("copied 2", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_whose_holder_died_does_not_stop_the_next_run()
    {
        using var app = new KeepsakeApp();
        await UploadDistinctCopiesAsync(app, 1);
        using var target = new TemporaryFolder();
        var environment = PhotoBackupTestKit.With(app, PhotoBackupTestKit.FolderTarget(target.Path));

        if (KeepsakeApp.OnScaleStack)
        {
            // A session that took the lock and ended without releasing it, as a killed process's connection does.
            var connection = new NpgsqlConnectionStringBuilder(app.Environment[PhotoBackupTestKit.Variable("Database:ConnectionString")]) { Pooling = false };
            await using var holder = new NpgsqlConnection(connection.ConnectionString);
            await holder.OpenAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({PhotoBackupRunLock.PostgresKey})", holder))
            {
                await take.ExecuteNonQueryAsync();
            }
            Assert.Equal(3, (await CliRunner.RunAsync(environment, "backup photos")).ExitCode);
        }
        else
        {
            // Another process holding the SQLite database's lock file (flock(2), as Keepsake takes it), then killed.
            using var holder = Process.Start(new ProcessStartInfo("flock", ["-o", PhotoBackupRunLock.FileFor(app.DatabasePath), "-c", "echo held; exec sleep 600"])
            {
                RedirectStandardOutput = true,
            })!;
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync());
            Assert.Equal(3, (await CliRunner.RunAsync(environment, "backup photos")).ExitCode);
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        var next = await CliRunner.RunAsync(environment, "backup photos");

        Assert.True(next.ExitCode == 0, Describe(next));
        Assert.Contains("copied 1", next.Output, StringComparison.Ordinal);
    }
}
