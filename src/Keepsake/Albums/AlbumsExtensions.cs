using Keepsake.Photos;

namespace Keepsake.Albums;

public static class AlbumsExtensions
{
    /// <summary>What albums need beyond their endpoints: to let go of a cover when its photo is deleted.</summary>
    public static IServiceCollection AddKeepsakeAlbums(this IServiceCollection services) =>
        services.AddScoped<IPhotoDeletingHandler, AlbumCoverRelease>();
}
