using System.Diagnostics.Metrics;
using Keepsake.Observability;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups;

/// <summary>
/// Reads the backups' manifests on a timer and serves when the newest backup and the newest verified
/// backup were taken, as Unix-time gauges. They come from the blob store, not from this process, so the
/// server reports backups that a CronJob or an operator's <c>keepsake backup</c> made just the same. With no backup
/// (yet) they read 0, never nothing: a library whose backups never ran must still give the alert a series to fire on.
/// </summary>
internal sealed partial class BackupStatistics : BackgroundService
{
    private readonly BackupService _backups;
    private readonly IOptions<ManagementOptions> _options;
    private readonly ILogger<BackupStatistics> _logger;
    private BackupStatus? _status;

    public BackupStatistics(KeepsakeMetrics metrics, BackupService backups, IOptions<ManagementOptions> options, ILogger<BackupStatistics> logger)
    {
        _backups = backups;
        _options = options;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.BackupLastSuccess, () => Observe(_status?.Newest), "s",
            "When the newest complete backup was taken (Unix time); 0 while there is none.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.BackupLastVerified, () => Observe(_status?.NewestVerified), "s",
            "When the newest backup that restored and checked out was taken (Unix time); 0 while there is none.");
    }

    private static Measurement<long> Observe(BackupEntry? backup) => new(backup?.Manifest.CreatedAt.ToUnixTimeSeconds() ?? 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.BackupStatisticsInterval);
        do
        {
            try
            {
                _status = await _backups.StatusAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The gauges keep their last values: a stale one fires the alert, a missing one hides the problem.
                LogRefreshFailed(_logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the backups for the metrics ({Error}); keeping the last values")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
