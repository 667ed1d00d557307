using Amazon.S3;
using Keepsake.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Keepsake.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddKeepsakeStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        // Chosen when first resolved, from the bound options, so every configuration source counts.
        builder.Services.AddSingleton<IAmazonS3>(services => S3BlobStore.CreateClient(services.GetRequiredService<IOptions<StorageOptions>>().Value.S3));
        builder.Services.AddSingleton<IBlobStore>(services => services.GetRequiredService<IOptions<StorageOptions>>().Value.IsS3
            ? ActivatorUtilities.CreateInstance<S3BlobStore>(services)
            : ActivatorUtilities.CreateInstance<FileSystemBlobStore>(services));
        builder.Services.AddHealthChecks().AddCheck<BlobStoreHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        builder.Services.AddSingleton<ScratchAreas>();
        return builder;
    }

    /// <summary>The server removes the scratch folders of killed runs as it starts (a verb does so in its host).</summary>
    public static IServiceCollection AddScratchSweepAtStart(this IServiceCollection services) =>
        services.AddHostedService<ScratchSweepAtStart>();
}

internal sealed class ScratchSweepAtStart(ScratchAreas areas) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        areas.SweepStale();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class BlobStoreHealthCheck(IBlobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("The blob store is not usable: " + e.Message);
        }
    }
}
