using Keepsake.Hosting;

namespace Keepsake.Privacy;

public static class PrivacyExtensions
{
    /// <summary>Export, and the readiness check on the erasure ledger (the ledger and erasure itself are registered with backups, which replay it).</summary>
    public static IServiceCollection AddKeepsakePrivacy(this IServiceCollection services)
    {
        services.AddScoped<UserExport>();
        services.AddSingleton<ErasureLedgerHealthCheck>();
        services.AddHealthChecks().AddCheck<ErasureLedgerHealthCheck>("erasure-ledger", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
