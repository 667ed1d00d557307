using System.Diagnostics.Metrics;
using Keepsake.Data;
using Keepsake.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

/// <summary>
/// Counts photos (and those marked missing), users and pending migrations on a timer and serves the last counts as gauges, so a
/// scrape never waits for the database and a database outage never fails a scrape.
/// </summary>
internal sealed partial class LibraryStatistics : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<ManagementOptions> _options;
    private readonly ILogger<LibraryStatistics> _logger;
    private long? _photos;
    private long? _photosMissing;
    private long? _users;
    private long? _migrationsPending;

    public LibraryStatistics(KeepsakeMetrics metrics, IServiceScopeFactory scopes, IOptions<ManagementOptions> options, ILogger<LibraryStatistics> logger)
    {
        _scopes = scopes;
        _options = options;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.Photos, () => Observe(_photos), "{photo}", "Photos in the library.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.PhotosMissing, () => Observe(_photosMissing), "{photo}",
            "Photos fsck marked missing: their original is gone from storage (after a restore, photos deleted since its backup).");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.Users, () => Observe(_users), "{user}", "User accounts.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.MigrationsPending, () => Observe(_migrationsPending), "{migration}",
            "Migrations this build needs that the database does not have yet.");
    }

    private static IEnumerable<Measurement<long>> Observe(long? value) => value is { } v ? [new Measurement<long>(v)] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.StatisticsInterval);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            _migrationsPending = pending;
            if (pending == 0)
            {
                _photos = await db.Photos.LongCountAsync(cancellationToken);
                _photosMissing = await db.Photos.LongCountAsync(p => p.OriginalMissingSince != null, cancellationToken);
                _users = await db.Users.LongCountAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The gauges keep their last values; readiness reports the database itself.
            LogRefreshFailed(_logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the library for the metrics ({Error}); keeping the last counts")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
