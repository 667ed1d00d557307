using System.Diagnostics.Metrics;
using Keepsake.Observability;
using Microsoft.Extensions.Options;

namespace Keepsake.Weather;

/// <summary>
/// The server's background worker: fetches due place-days while weather is on, and keeps the queue's
/// gauges current either way (they read 0 on a library that never turned weather on). Any failure is
/// logged and the loop goes on; only shutdown ends it.
/// </summary>
internal sealed partial class WeatherWorker : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly WeatherFetcher _fetcher;
    private readonly WeatherWakeUp _wakeUp;
    private readonly IOptions<WeatherOptions> _options;
    private readonly ILogger<WeatherWorker> _logger;
    private WeatherQueueStatus? _status;

    public WeatherWorker(IServiceScopeFactory scopes, WeatherFetcher fetcher, WeatherWakeUp wakeUp, IOptions<WeatherOptions> options, KeepsakeMetrics metrics, ILogger<WeatherWorker> logger)
    {
        _scopes = scopes;
        _fetcher = fetcher;
        _wakeUp = wakeUp;
        _options = options;
        _logger = logger;
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.WeatherQueueDepth, () => Observe(_status?.Queued), "{place_day}",
            "Place-days waiting for their weather.");
        metrics.Meter.CreateObservableGauge(KeepsakeMetrics.WeatherQueueOldestAge, () => Observe(_status?.OldestAge.TotalSeconds), "s",
            "How long the oldest fetchable place-day has waited in the weather queue.");
    }

    private static IEnumerable<Measurement<double>> Observe(double? value) => value is { } v ? [new Measurement<double>(v)] : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                await RefreshStatusAsync(stoppingToken);
                claimed = await _fetcher.FetchDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(_logger, e.GetType().Name, e.Message);
            }
            if (claimed == 0)
            {
                try
                {
                    await _wakeUp.WaitAsync(_options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RefreshStatusAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        _status = await scope.ServiceProvider.GetRequiredService<WeatherQueue>().StatusAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of the weather worker failed ({Error}: {Message}); it tries again at the next poll")]
    private static partial void LogRoundFailed(ILogger logger, string error, string message);
}
