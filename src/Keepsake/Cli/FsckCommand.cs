using System.CommandLine;
using System.Globalization;
using Keepsake.Integrity;
using Keepsake.Photos;

namespace Keepsake.Cli;

/// <summary>
/// <c>keepsake fsck [--repair | --repair-from-backup]</c>: rows without files and files without rows, one line each, then a summary
/// by category; with <c>--repair-from-backup</c>, first the originals brought back from the photo copies and those that could not be.
/// </summary>
internal static class FsckCommand
{
    public static Command Create(CliHost cli)
    {
        var repair = new Option<bool>("--repair")
        {
            Description = "Remake lost thumbnails and previews, mark photos whose original is gone as missing (and clear the mark when it is back), " +
                "and delete orphan files and erasure leftovers. Rows are never deleted.",
        };
        var minAge = new Option<int>("--min-age-minutes")
        {
            Description = "Only files older than this count as orphans; younger ones may belong to an upload in progress.",
            DefaultValueFactory = _ => 60,
        };
        var fromBackup = new Option<bool>("--repair-from-backup")
        {
            Description = "First restore every original that is missing or whose bytes no longer match its SHA-256 from the photo copies (Backups:Photos), " +
                "byte for byte, then repair as --repair does (which remakes their thumbnails and previews). Reads every original. " +
                "Exits 1 when an original could not be restored (no copy, or a corrupt one).",
        };
        var command = new Command("fsck", "Check that every photo has its files and every file its photo.") { repair, fromBackup, minAge };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var minutes = parse.GetValue(minAge);
            if (minutes < 0)
            {
                cli.Terminal.Error("--min-age-minutes cannot be negative.");
                return 2;
            }
            using var host = await cli.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            OriginalRestoreReport? restored = null;
            if (parse.GetValue(fromBackup))
            {
                (restored, var exitCode) = await PhotoBackupCommand.OnTargetAsync(cli, "Checking originals",
                    progress => scope.ServiceProvider.GetRequiredService<OriginalRestorer>().RunAsync(progress, cancellationToken));
                if (restored is null)
                {
                    return exitCode;
                }
                Print(cli.Terminal, restored);
            }
            var report = await scope.ServiceProvider.GetRequiredService<Fsck>().RunAsync(parse.GetValue(repair) || restored is not null, TimeSpan.FromMinutes(minutes), cancellationToken);
            Print(cli.Terminal.Out, report);
            return report.IsClean && restored is not { NotRestored: > 0 } ? ExitCodes.Done : ExitCodes.SomeFailed;
        });
        return command;
    }

    /// <summary>Each original restored on stdout, each that could not be on stderr, then a summary line.</summary>
    private static void Print(Terminal terminal, OriginalRestoreReport restored)
    {
        foreach (var original in restored.Originals)
        {
            var was = original.Damage == OriginalDamage.Missing ? "it was missing" : $"its bytes hashed to {original.ActualSha256}";
            if (original.Restored)
            {
                terminal.Out.WriteLine($"restored original {original.Key} of photo {original.PhotoId} from its copy ({was})");
            }
            else
            {
                terminal.Error($"NOT restored: original {original.Key} of photo {original.PhotoId} (sha256 {original.Sha256}; {was}): {original.Failure}");
            }
        }
        terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"from the photo copies: checked {restored.Checked} originals, restored {restored.Restored} ({restored.Originals.Sum(o => o.Bytes)} bytes), not restored {restored.NotRestored}"));
    }

    private static void Print(TextWriter output, FsckReport report)
    {
        output.WriteLine($"database integrity: {report.DatabaseIntegrity}");
        output.WriteLine($"checked {report.PhotosChecked} photos ({report.PhotosInTrash} in the trash) and {report.FilesChecked} files");
        var originalGone = report.MissingFiles.Where(m => m.Variant == PhotoVariant.Original).Select(m => m.PhotoId).ToHashSet();
        foreach (var missing in report.MissingFiles)
        {
            output.WriteLine($"missing file {missing.Key} of photo {missing.PhotoId}{Outcome(missing, originalGone.Contains(missing.PhotoId))}");
        }
        var foundAgain = report.FoundAgain.ToHashSet();
        foreach (var photo in report.MarkedMissing)
        {
            output.WriteLine(photo.MarkedNow
                ? $"marked missing: photo {photo.PhotoId}; its owner sees a placeholder and can delete it"
                : $"marked missing: photo {photo.PhotoId} since {Day(photo.Since)}{(foundAgain.Contains(photo.PhotoId) ? "; its original is back ('keepsake fsck --repair' clears the mark)" : "")}");
        }
        if (report.Repaired)
        {
            foreach (var photo in report.FoundAgain)
            {
                output.WriteLine($"found again: photo {photo}'s original is back; no longer marked missing");
            }
        }
        foreach (var orphan in report.OrphanFiles)
        {
            output.WriteLine($"orphan file {orphan.Key} ({orphan.Length} bytes){(report.Removed.Contains(orphan.Key) ? " removed" : "")}");
        }
        foreach (var leftover in report.ErasureLeftovers)
        {
            output.WriteLine($"erasure leftover {leftover.File.Key} ({leftover.File.Length} bytes) of erased user {leftover.OwnerId}{(report.Removed.Contains(leftover.File.Key) ? " removed" : "")}");
        }
        foreach (var held in report.HeldFiles)
        {
            output.WriteLine($"held file {held.File.Key} ({held.File.Length} bytes): written after backup {held.Restore.BackupId} was taken and before it was restored; " +
                $"its photo may be in the pre-restore backup {held.Restore.SafetyBackupId}, so it is kept while that backup is");
        }
        foreach (var recent in report.RecentUnreferencedFiles)
        {
            output.WriteLine($"recent file {recent.Key} has no photo yet (an upload may be in progress); left alone");
        }
        var counts = $"{report.MissingLeft} missing, {report.OrphansLeft} orphan, {report.ErasureLeftoversLeft} erasure leftover, " +
            $"{report.MarkedMissing.Count} marked missing, {report.HeldFiles.Count} held, {report.RecentUnreferencedFiles.Count} recent";
        output.WriteLine(report.IsClean ? $"clean: {counts}{Repairs(report)}" : $"problems: {counts}{Repairs(report)}{Hint(report)}");
    }

    private static string Outcome(MissingFile missing, bool originalGone) => missing.Repair switch
    {
        MissingFileRepair.PhotoMarkedMissing => ": the original; the photo is marked missing",
        MissingFileRepair.Remade => ": remade from the original",
        MissingFileRepair.NotRemade => $": could not be remade ({missing.Detail})",
        _ when missing.Variant == PhotoVariant.Original => ": the original ('keepsake fsck --repair' marks the photo missing)",
        _ when originalGone => " (its original is gone too: nothing to remake it from)",
        _ => " ('keepsake fsck --repair' remakes it from the original)",
    };

    /// <summary>What this repair did, when it did anything.</summary>
    private static string Repairs(FsckReport report)
    {
        var done = new List<string>();
        Add(report.MissingFiles.Count(m => m.Repair == MissingFileRepair.Remade), "remade");
        Add(report.MarkedMissing.Count(m => m.MarkedNow), "newly marked missing");
        Add(report.Repaired ? report.FoundAgain.Count : 0, "found again");
        Add(report.Removed.Count, "removed");
        return done.Count == 0 ? "" : $"; repaired: {string.Join(", ", done)}";

        void Add(int count, string what)
        {
            if (count > 0)
            {
                done.Add($"{count.ToString(CultureInfo.InvariantCulture)} {what}");
            }
        }
    }

    private static string Hint(FsckReport report) =>
        report.Repaired
            ? report.MarkedMissing.Count > 0 ? " (photos marked missing stay until their owners delete them or their originals are put back)" : ""
            : " (run 'keepsake fsck --repair' to repair)";

    private static string Day(DateTime time) => time.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
