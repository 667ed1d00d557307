using Keepsake.Data;
using Keepsake.Hosting;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos.Trash;

/// <summary>
/// In the embedded default the server runs <c>keepsake trash purge</c> itself every <see cref="TrashPurgeOptions.Interval"/>:
/// photos in the trash longer than <see cref="TrashOptions.Retention"/> are deleted for good. On PostgreSQL it is off by
/// default and a CronJob runs the verb once; two purges at once do no harm (each photo's delete checks again). A failure
/// is logged and tried again next time.
/// </summary>
internal sealed partial class TrashPurgeScheduler(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<TrashOptions> options,
    IOptions<DatabaseOptions> database,
    ILogger<TrashPurgeScheduler> logger) : BackgroundService
{
    public bool Enabled => options.Value.Purge.Enabled ?? database.Value.IsSqlite;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        await PeriodicJob.RunAsync("trash purge", options.Value.Purge.Interval, clock, logger, PurgeOnceAsync, stoppingToken);
    }

    private async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var purged = await scope.ServiceProvider.GetRequiredService<TrashPurge>().PurgeExpiredAsync(cancellationToken);
        if (purged > 0)
        {
            LogPurged(logger, purged, options.Value.Retention);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} photos for good after {Retention} in the trash")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retention);
}
