using Keepsake.Hosting;

namespace Keepsake.Photos.Trash;

public static class TrashExtensions
{
    /// <summary>The trash's settings, its purge and deletion, for the server and the CLI alike.</summary>
    public static IServiceCollection AddKeepsakeTrash(this IServiceCollection services)
    {
        services.AddValidatedOptions<TrashOptions>(TrashOptions.Section);
        services.AddScoped<PhotoDeletion>();
        return services.AddScoped<TrashPurge>();
    }

    /// <summary>The server's own scheduled purge (see <see cref="TrashPurgeScheduler"/>).</summary>
    public static IServiceCollection AddKeepsakeTrashPurgeSchedule(this IServiceCollection services) =>
        services.AddHostedService<TrashPurgeScheduler>();
}
