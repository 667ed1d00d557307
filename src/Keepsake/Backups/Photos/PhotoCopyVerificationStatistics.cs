using Keepsake.Data;
using Keepsake.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// Reads the newest <c>backup verify --photos</c> results from the database on a timer and serves them as gauges: when
/// the newest run that found every copy good ran (Unix time, 0 while none has) and how many bad copies the newest run
/// found (the alerts on them hold only while <c>keepsake_photo_backup_enabled</c>, from <see cref="PhotoBackupStatistics"/>,
/// says a target is set). Every process's runs count alike, a CronJob's as much as the embedded server's.
/// </summary>
internal sealed partial class PhotoCopyVerificationStatistics : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<ManagementOptions> _management;
    private readonly ILogger<PhotoCopyVerificationStatistics> _logger;
    private long _lastSuccess;
    private long _failedCopies;

    public PhotoCopyVerificationStatistics(
        KeepsakeMetrics metrics, IServiceScopeFactory scopes, IOptions<ManagementOptions> management,
        ILogger<PhotoCopyVerificationStatistics> logger)
    {
        _scopes = scopes;
        _management = management;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupVerifyLastSuccess, () => Interlocked.Read(ref _lastSuccess), "s",
            "When the newest 'backup verify --photos' that found every copy it read good ran (Unix time); 0 while none has.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotoBackupVerifyFailedCopies, () => Interlocked.Read(ref _failedCopies), "{copy}",
            "Copies the newest 'backup verify --photos' found missing, corrupt or unreadable; 0 while none has run.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_management.Value.BackupStatisticsInterval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The gauges keep their last values: a stale one fires the alert, a missing one hides the problem.
                LogRefreshFailed(_logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var verifications = db.PhotoCopyVerifications.AsNoTracking();
        var newest = await verifications.OrderByDescending(v => v.Id).Select(v => (int?)v.Failed).FirstOrDefaultAsync(cancellationToken);
        var lastSuccess = await verifications.Where(v => v.Failed == 0).OrderByDescending(v => v.Id).Select(v => (DateTime?)v.VerifiedAt).FirstOrDefaultAsync(cancellationToken);
        Interlocked.Exchange(ref _failedCopies, newest ?? 0);
        Interlocked.Exchange(ref _lastSuccess, lastSuccess is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeSeconds() : 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the photo copy verifications for the metrics ({Error}); keeping the last values")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
