using Keepsake.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keepsake.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddKeepsakeStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        builder.Services.AddSingleton<IBlobStore, FileSystemBlobStore>();
        builder.Services.AddHealthChecks().AddCheck<BlobStoreHealthCheck>("storage", tags: ["ready"]);
        return builder;
    }
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
            return HealthCheckResult.Unhealthy("The blob store cannot be written to: " + e.Message);
        }
    }
}
