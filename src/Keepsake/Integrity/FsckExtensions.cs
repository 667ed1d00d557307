using Keepsake.Hosting;

namespace Keepsake.Integrity;

public static class FsckExtensions
{
    /// <summary>The server's own scheduled <c>fsck --repair</c> (see <see cref="FsckScheduler"/>).</summary>
    public static IServiceCollection AddKeepsakeFsckSchedule(this IServiceCollection services)
    {
        services.AddValidatedOptions<FsckOptions>(FsckOptions.Section);
        return services.AddHostedService<FsckScheduler>();
    }
}
