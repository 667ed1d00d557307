using Keepsake.Photos;
using Microsoft.Extensions.Options;

namespace Keepsake.Weather;

/// <summary>
/// Queues the place-days of new photos when weather is on. The photos are already committed, so a failure
/// here is logged, never the upload's: <c>keepsake weather backfill</c> queues whatever was missed.
/// </summary>
internal sealed partial class WeatherEnqueuer(WeatherQueue queue, IOptions<WeatherOptions> options, ILogger<WeatherEnqueuer> logger) : IPhotosStoredHandler
{
    public async Task PhotosStoredAsync(IReadOnlyList<Photo> photos, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        try
        {
            await queue.EnqueueAsync(photos, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEnqueueFailed(logger, photos.Count, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the weather of {Count} new photo(s) ({Error}); 'keepsake weather backfill' queues them later")]
    private static partial void LogEnqueueFailed(ILogger logger, int count, string error);
}
