
namespace Keepsake.Backups;

/// <summary>
/// In the embedded default there is one process and no deploy pipeline, so the server brings its own
/// SQLite file up to date before it starts listening, backing it up first when it holds an older schema.
/// A PostgreSQL database is migrated on purpose by whoever deploys, not by every server that starts.
/// </summary>
internal sealed class EmbeddedDatabaseMigrator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateEmbeddedDatabaseAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
