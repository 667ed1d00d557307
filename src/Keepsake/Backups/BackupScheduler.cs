using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Hosting;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups;

/// <summary>
/// In the embedded default the server keeps its own backups: every <see cref="BackupScheduleOptions.BackupInterval"/>
/// a backup and a prune, and a verification of the newest backup once the last one is older than
/// <see cref="BackupScheduleOptions.VerifyInterval"/>; and, on a timer of its own, a scrub of the backups that may
/// still hold an erased user (so an erasure is out of every backup within about an interval, well inside
/// <c>Backups:ScrubWithin</c>). A pass over many backups can take hours: on its own timer it never holds up a
/// backup. Once a photo backup target is set (<c>Backups:Photos</c>), each backup is followed by <c>backup photos</c>,
/// which copies what the backup names and the target lacks. A failure is logged and tried again next time.
/// </summary>
internal sealed partial class BackupScheduler(
    BackupService backups,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<BackupsOptions> options,
    IOptions<PhotoBackupOptions> photos,
    IOptions<DatabaseOptions> database,
    ILogger<BackupScheduler> logger) : BackgroundService
{
    public bool Enabled => options.Value.Schedule.Enabled ?? database.Value.IsSqlite;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var interval = options.Value.Schedule.BackupInterval;
        await Task.WhenAll(
            PeriodicJob.RunAsync("backup", interval, clock, logger, RunOnceAsync, stoppingToken),
            PeriodicJob.RunAsync("scrub", interval, clock, logger, ScrubAsync, stoppingToken));
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var created = await backups.CreateAsync(BackupReasons.Scheduled, null, cancellationToken);
        LogCreated(logger, created.Id, created.SizeBytes);
        if (photos.Value.IsEnabled)
        {
            await CopyPhotosAsync(cancellationToken);
        }
        var deleted = (await backups.PruneAsync(dryRun: false, cancellationToken)).Deleted;
        if (deleted > 0)
        {
            LogPruned(logger, deleted);
        }
        var lastVerified = (await backups.ListAsync(cancellationToken))
            .Select(e => e.Verification?.VerifiedAt)
            .Max();
        // Judged at the time of this run's backup, not after it: a slow run must not decide as if it were the next one.
        if (lastVerified is null || created.CreatedAt - lastVerified >= options.Value.Schedule.VerifyInterval)
        {
            var verification = await backups.VerifyAsync(created.Id, null, cancellationToken);
            if (verification.Succeeded)
            {
                LogVerified(logger, created.Id);
            }
            else
            {
                LogVerificationFailed(logger, created.Id, verification.Detail);
            }
        }
    }

    /// <summary>One <c>backup photos</c>; its failure is logged here, so the prune and the verification still run.</summary>
    private async Task CopyPhotosAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<PhotoCopier>().RunAsync(null, cancellationToken);
            LogPhotosCopied(logger, result.Generation, result.Copied, result.CopiedBytes, result.AlreadyThere, result.Failed);
            foreach (var failure in result.Failures)
            {
                LogPhotoNotCopied(logger, failure);
            }
        }
        catch (PhotoBackupAlreadyRunningException)
        {
            LogPhotoBackupBusy(logger);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogPhotoBackupFailed(logger, e);
        }
    }

    private async Task ScrubAsync(CancellationToken cancellationToken)
    {
        foreach (var outcome in await backups.ScrubAsync(null, cancellationToken))
        {
            if (outcome.Succeeded)
            {
                LogScrubbed(logger, outcome.BackupId, outcome.Rewritten);
            }
            else
            {
                LogScrubFailed(logger, outcome.BackupId, outcome.Failure ?? outcome.Verification?.Detail);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {Id} scrubbed of erased users (rewritten: {Rewritten})")]
    private static partial void LogScrubbed(ILogger logger, string id, bool rewritten);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup {Id} could not be scrubbed of erased users: {Detail}")]
    private static partial void LogScrubFailed(ILogger logger, string id, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled backup {Id} taken ({Bytes} bytes)")]
    private static partial void LogCreated(ILogger logger, string id, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo backup generation {Generation}: copied {Copied} ({Bytes} bytes), already there {AlreadyThere}, failed {Failed}")]
    private static partial void LogPhotosCopied(ILogger logger, long generation, int copied, long bytes, int alreadyThere, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Photo backup: {Failure}")]
    private static partial void LogPhotoNotCopied(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo backup skipped: another run (a person's or a CronJob's) is under way and copies the same photos")]
    private static partial void LogPhotoBackupBusy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} backups (by retention, or left incomplete by a killed run)")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {Id} verified")]
    private static partial void LogVerified(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup {Id} failed verification: {Detail}")]
    private static partial void LogVerificationFailed(ILogger logger, string id, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled photo backup failed; trying again at the next interval")]
    private static partial void LogPhotoBackupFailed(ILogger logger, Exception exception);
}
