using Keepsake.Hosting;
using Microsoft.Extensions.Options;

namespace Keepsake.Map;

public static class MapExtensions
{
    public static IServiceCollection AddKeepsakeMap(this IServiceCollection services)
    {
        services.AddValidatedOptions<MapOptions>(MapOptions.Section);
        services.AddSingleton<IImageSources, MapTileSource>();
        return services;
    }
}

/// <summary>The tile server, the one host besides Keepsake the browser may load images from; none while the map is off.</summary>
internal sealed class MapTileSource(IOptions<MapOptions> options) : IImageSources
{
    public IEnumerable<string> ImageSources => options.Value.Enabled ? [options.Value.TileSource()] : [];
}
