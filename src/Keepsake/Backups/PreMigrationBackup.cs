using Keepsake.Data;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups;

/// <summary>The backup taken before the schema changes, so a migration that goes wrong is undone by a restore.</summary>
internal static partial class PreMigrationBackup
{
    /// <summary>
    /// Backs the database up with reason <c>pre-migration</c>, for <see cref="DatabaseMigrations.MigrateAsync"/> to run
    /// when migrations are pending. A database with no migration applied yet holds nothing to protect.
    /// </summary>
    public static Func<MigrationStatus, CancellationToken, Task> Before(BackupService backups, IProgress<BackupProgress>? progress, Action<BackupManifest> taken) =>
        async (status, cancellationToken) =>
        {
            if (status.Applied.Count > 0)
            {
                taken(await backups.CreateAsync(BackupReasons.PreMigration, progress, cancellationToken));
            }
        };

    /// <summary>
    /// Brings the embedded SQLite database to this build's schema, backing it up first when it holds an older
    /// one. A PostgreSQL database is left alone: it is migrated on purpose by whoever deploys
    /// (<c>keepsake migrate</c>), not by every process that starts.
    /// </summary>
    public static async Task MigrateEmbeddedDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsSqlite)
        {
            return;
        }
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PreMigrationBackup));
        var before = Before(services.GetRequiredService<BackupService>(), progress: null, manifest => LogBackedUp(logger, manifest.Id));
        await services.GetRequiredService<DatabaseMigrations>().MigrateAsync(before, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backed up the database as {BackupId} before migrating it")]
    private static partial void LogBackedUp(ILogger logger, string backupId);
}
