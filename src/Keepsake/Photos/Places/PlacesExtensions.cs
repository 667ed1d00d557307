namespace Keepsake.Photos.Places;

public static class PlacesExtensions
{
    /// <summary>The place names and their back-fill, for the server and the CLI alike.</summary>
    public static IServiceCollection AddKeepsakePlaces(this IServiceCollection services)
    {
        services.AddSingleton<PlaceNames>();
        return services.AddScoped<PlaceBackfill>();
    }

    /// <summary>The server's back-fill at start (see <see cref="PlaceBackfillService"/>).</summary>
    public static IServiceCollection AddKeepsakePlaceBackfill(this IServiceCollection services) =>
        services.AddHostedService<PlaceBackfillService>();
}
