using Keepsake.Hosting;

namespace Keepsake.Uploads;

public static class UploadsExtensions
{
    /// <summary>Resumable uploads' settings and services, for the server and the CLI (erasure and fsck know the parts).</summary>
    public static IServiceCollection AddKeepsakeUploads(this IServiceCollection services)
    {
        services.AddValidatedOptions<UploadsOptions>(UploadsOptions.Section);
        services.AddScoped<UploadParts>();
        services.AddScoped<UploadReceiver>();
        return services.AddScoped<UploadExpiry>();
    }

    /// <summary>The server's sweep of expired uploads (see <see cref="UploadExpiryScheduler"/>).</summary>
    public static IServiceCollection AddKeepsakeUploadExpirySchedule(this IServiceCollection services) =>
        services.AddHostedService<UploadExpiryScheduler>();
}
