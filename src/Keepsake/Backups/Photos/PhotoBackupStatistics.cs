using Keepsake.Observability;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// The photo backup's gauges, read on the backup statistics timer from the database and the target's own record, so a
/// CronJob's or a person's runs count the same as this server's. Every gauge is there from the first scrape, at 0 while
/// no target is set: <c>keepsake_photo_backup_enabled</c> tells the alerts whether to expect copies at all.
/// </summary>
internal sealed partial class PhotoBackupStatistics : BackgroundService
{
    private readonly PhotoBackupState _state;
    private readonly IOptions<ManagementOptions> _options;
    private readonly ILogger<PhotoBackupStatistics> _logger;
    private PhotoBackupStatusDto? _status;

    public PhotoBackupStatistics(KeepsakeMetrics metrics, PhotoBackupState state, IOptions<PhotoBackupOptions> photos, IOptions<ManagementOptions> options, ILogger<PhotoBackupStatistics> logger)
    {
        _state = state;
        _options = options;
        _logger = logger;
        var enabled = photos.Value.IsEnabled ? 1L : 0L;
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupEnabled, () => enabled, null,
            "1 while a photo backup target (Backups:Photos) is set, 0 while the photos have no second copy.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupLastSuccess, () => _status?.LastSuccessAt?.ToUnixTimeSeconds() ?? 0, "s",
            "When a photo backup run last finished with every original copied (Unix time); 0 while none has.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupLastRunFailed, () => (long)(_status?.LastRunFailed ?? 0), "{photo}",
            "Originals the latest photo backup run could not copy.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupObjects, () => _status?.Copies ?? 0, "{object}",
            "Contents (by SHA-256) copied to the photo backup target.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupSize, () => _status?.CopiedBytes ?? 0, "By",
            "Bytes copied to the photo backup target.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupGeneration, () => _status?.Generation ?? 0, null,
            "The highest photo backup run the target has recorded.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.BackupStatisticsInterval);
        do
        {
            try
            {
                _status = await _state.ReadAsync(stoppingToken);
                if (_status.Problem is { } problem)
                {
                    LogTargetUnreadable(_logger, problem);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The gauges keep their last values: a stale one fires the alert, a missing one hides the problem.
                LogRefreshFailed(_logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the photo backups for the metrics ({Error}); keeping the last values")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Photo backup metrics: {Problem}")]
    private static partial void LogTargetUnreadable(ILogger logger, string problem);
}
