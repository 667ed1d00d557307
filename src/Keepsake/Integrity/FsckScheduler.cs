using Keepsake.Data;
using Keepsake.Hosting;
using Microsoft.Extensions.Options;

namespace Keepsake.Integrity;

/// <summary>
/// In the embedded default the server runs <c>keepsake fsck --repair</c> itself every <see cref="FsckScheduleOptions.Interval"/>:
/// it removes orphans older than <see cref="FsckScheduleOptions.MinimumOrphanAge"/> and erasure leftovers, remakes lost
/// thumbnails and previews, and marks photos whose original is gone as missing. Marking is done here too, not left to a
/// person: it deletes nothing, is undone by the next run once the original is back, and turns broken tiles into a clear
/// placeholder (and the <c>keepsake_photos_missing</c> gauge) soon after a restore. Every step checks again before it acts,
/// so two servers running it at once do no harm; on PostgreSQL it is off by default and a CronJob runs the verb once.
/// A failure is logged and tried again next time.
/// </summary>
internal sealed partial class FsckScheduler(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<FsckOptions> options,
    IOptions<DatabaseOptions> database,
    ILogger<FsckScheduler> logger) : BackgroundService
{
    public bool Enabled => options.Value.Schedule.Enabled ?? database.Value.IsSqlite;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        await PeriodicJob.RunAsync("fsck", options.Value.Schedule.Interval, clock, logger, RunOnceAsync, stoppingToken);
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<Fsck>().RunAsync(repair: true, options.Value.Schedule.MinimumOrphanAge, cancellationToken);
        var orphansRemoved = report.OrphanFiles.Count - report.OrphansLeft;
        var leftoversRemoved = report.ErasureLeftovers.Count - report.ErasureLeftoversLeft;
        var remade = report.MissingFiles.Count(m => m.Repair == MissingFileRepair.Remade);
        var marked = report.MarkedMissing.Count(m => m.MarkedNow);
        Log(logger, report.IsClean ? LogLevel.Information : LogLevel.Warning, report.PhotosChecked, report.FilesChecked,
            orphansRemoved, leftoversRemoved, remade, marked, report.FoundAgain.Count,
            report.DatabaseIntegrity, report.MissingLeft, report.MarkedMissing.Count, report.OrphansLeft + report.ErasureLeftoversLeft,
            report.HeldFiles.Count, report.RecentUnreferencedFiles.Count);
    }

    [LoggerMessage(Message = "Scheduled fsck checked {Photos} photos and {Files} files: removed {OrphansRemoved} orphans and {ErasureLeftoversRemoved} erasure " +
        "leftovers, remade {Remade} thumbnails or previews, marked {Marked} photos missing, found {FoundAgain} again; left: database integrity {Integrity}, " +
        "{Missing} missing files, {MarkedMissing} photos marked missing, {NotRemoved} unreferenced files not removed, {Held} held, {Recent} recent")]
    private static partial void Log(ILogger logger, LogLevel level, int photos, int files, int orphansRemoved, int erasureLeftoversRemoved, int remade,
        int marked, int foundAgain, string integrity, int missing, int markedMissing, int notRemoved, int held, int recent);
}
