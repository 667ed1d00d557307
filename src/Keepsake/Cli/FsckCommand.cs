using System.CommandLine;
using Keepsake.Operations;

namespace Keepsake.Cli;

/// <summary><c>keepsake fsck [--repair]</c>: rows without files and files without rows.</summary>
internal static class FsckCommand
{
    public static Command Create()
    {
        var repair = new Option<bool>("--repair") { Description = "Delete orphan files (files no photo references). Rows are never deleted." };
        var minAge = new Option<int>("--min-age-minutes")
        {
            Description = "Only files older than this count as orphans; younger ones may belong to an upload in progress.",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("fsck", "Check that every photo has its files and every file its photo.") { repair, minAge };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var minutes = parse.GetValue(minAge);
            if (minutes < 0)
            {
                Terminal.Error("--min-age-minutes cannot be negative.");
                return 2;
            }
            using var host = await CliHost.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<Fsck>().RunAsync(parse.GetValue(repair), TimeSpan.FromMinutes(minutes), cancellationToken);
            Print(report, parse.GetValue(repair));
            return report.IsClean ? 0 : 1;
        });
        return command;
    }

    private static void Print(FsckReport report, bool repair)
    {
        Console.WriteLine($"database integrity: {report.DatabaseIntegrity}");
        Console.WriteLine($"checked {report.PhotosChecked} photos and {report.FilesChecked} files");
        foreach (var missing in report.MissingFiles)
        {
            Console.WriteLine($"missing file {missing.Key} of photo {missing.PhotoId}");
        }
        foreach (var orphan in report.OrphanFiles)
        {
            Console.WriteLine($"orphan file {orphan.Key} ({orphan.Length} bytes){(repair ? " removed" : "")}");
        }
        foreach (var recent in report.RecentUnreferencedFiles)
        {
            Console.WriteLine($"recent file {recent.Key} has no photo yet (an upload may be in progress); left alone");
        }
        Console.WriteLine(report.IsClean
            ? $"clean: {report.MissingFiles.Count} missing, {report.OrphanFiles.Count - report.OrphansRemoved} orphan{(report.OrphansRemoved > 0 ? $", {report.OrphansRemoved} removed" : "")}"
            : $"problems: {report.MissingFiles.Count} missing, {report.OrphanFiles.Count - report.OrphansRemoved} orphan{(report.OrphanFiles.Count > 0 && !repair ? " (run 'keepsake fsck --repair' to remove orphans)" : "")}");
    }
}
