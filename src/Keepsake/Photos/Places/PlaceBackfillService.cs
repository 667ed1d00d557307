namespace Keepsake.Photos.Places;

/// <summary>The server's one-off back-fill of places at start (see <see cref="PlaceBackfill"/>).</summary>
internal sealed class PlaceBackfillService(IServiceScopeFactory scopes, ILogger<PlaceBackfillService> logger) : BackfillAtStart(scopes, logger)
{
    protected override string What => "a place name";

    protected override Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<PlaceBackfill>().FillAsync(PlaceBackfill.DefaultBatchSize, cancellationToken);
}
