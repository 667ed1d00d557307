namespace Keepsake.Photos.Places;

/// <summary>
/// The server's one-off back-fill of places at start (see <see cref="PlaceBackfill"/>): after an upgrade it names the
/// places of the photos already stored, then has nothing left to do on later starts but one query. Replicas that run it
/// at once do the same work twice at worst, with the same result. A failure is logged; the next start continues.
/// </summary>
internal sealed partial class PlaceBackfillService(IServiceScopeFactory scopes, ILogger<PlaceBackfillService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var filled = await scope.ServiceProvider.GetRequiredService<PlaceBackfill>().FillAsync(PlaceBackfill.DefaultBatchSize, stoppingToken);
            if (filled > 0)
            {
                LogFilled(logger, filled);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Named the places of {Count} photos stored before places")]
    private static partial void LogFilled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Naming the places of earlier photos failed; the next start continues")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
