using Keepsake.Data;

namespace Keepsake.Operations;

/// <summary>
/// In the embedded default there is one process and no deploy pipeline, so the server brings its own
/// SQLite file up to date before it starts listening.
/// </summary>
internal sealed class EmbeddedDatabaseMigrator(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
