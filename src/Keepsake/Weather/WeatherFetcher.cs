using Keepsake.Observability;
using Microsoft.Extensions.Options;

namespace Keepsake.Weather;

/// <summary>
/// Works through the due place-days of the queue: claim, ask the provider once, store or defer. Shared by
/// the server's worker and <c>keepsake weather backfill</c>, which can run side by side: the claim makes
/// sure each place-day is asked by one of them.
/// </summary>
public sealed partial class WeatherFetcher(
    IServiceScopeFactory scopes,
    OpenMeteoClient client,
    IOptions<WeatherOptions> options,
    TimeProvider time,
    KeepsakeMetrics metrics,
    ILogger<WeatherFetcher> logger)
{
    private const int BatchSize = 20;

    /// <summary>After a 429 every place-day waits for the provider's Retry-After, not only the one that got it.</summary>
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>Fetches what is due now; returns how many place-days this call claimed (0: nothing due, or paused).</summary>
    public async Task<int> FetchDueAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || time.GetUtcNow() < _pausedUntil)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<WeatherQueue>();
        var claimedCount = 0;
        foreach (var placeDay in await queue.DueAsync(BatchSize, cancellationToken))
        {
            if (time.GetUtcNow() < _pausedUntil)
            {
                break;
            }
            if (!await queue.TryClaimAsync(placeDay, cancellationToken))
            {
                continue;
            }
            claimedCount++;
            var result = await client.FetchAsync(placeDay, cancellationToken);
            metrics.WeatherFetched(WeatherQueue.Word(result.Outcome));
            if (result.Outcome == FetchOutcome.Stored)
            {
                await queue.StoreAsync(placeDay, result.Hours, cancellationToken);
                continue;
            }
            LogFetchFailed(logger, placeDay.ToString(), WeatherQueue.Word(result.Outcome), result.Detail ?? "");
            if (result.Outcome == FetchOutcome.RateLimited && result.RetryAfter is { } retryAfter)
            {
                _pausedUntil = time.GetUtcNow() + retryAfter;
            }
            await queue.DeferAsync(placeDay, result.Outcome, result.RetryAfter, cancellationToken);
        }
        return claimedCount;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weather for {PlaceDay} not fetched ({Outcome}: {Detail}); it stays queued and is tried again later")]
    private static partial void LogFetchFailed(ILogger logger, string placeDay, string outcome, string detail);
}
