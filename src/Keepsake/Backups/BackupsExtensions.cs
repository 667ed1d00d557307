using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Storage;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups;

public static class BackupsExtensions
{
    /// <summary>Backups, the erasure ledger a restore replays, and user erasure (for the server and every verb).</summary>
    public static IServiceCollection AddKeepsakeBackups(this IServiceCollection services)
    {
        services.AddValidatedOptions<BackupsOptions>(BackupsOptions.Section);
        services.AddValidatedOptions<PhotoBackupOptions>(PhotoBackupOptions.Section);
        services.AddSingleton<SqliteBackupEngine>();
        services.AddSingleton<PostgresBackupEngine>();
        services.AddSingleton<IDatabaseBackupEngine>(provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsSqlite
            ? provider.GetRequiredService<SqliteBackupEngine>()
            : provider.GetRequiredService<PostgresBackupEngine>());
        services.AddSingleton<BackupService>();
        services.AddSingleton<RestoreHistory>();
        services.AddScratchArea(provider => new ScratchArea(BackupService.StagingPrefix, provider.GetRequiredService<IOptions<BackupsOptions>>().Value.TemporaryPath));
        services.AddSingleton<ErasureLedger>();
        services.AddScoped<UserErasure>();
        services.AddScoped<PhotoCopier>();
        services.AddScoped<PhotoCopyVerifier>();
        services.AddScoped<PhotoCopyRetention>();
        services.AddScoped<IUserCopiesErasure, PhotoCopyErasure>();
        services.AddScoped<IPhotoDeletingHandler, PhotoCopyFormerHolderRecord>();
        services.AddSingleton<PhotoCopyGenerations>();
        services.AddSingleton<PhotoBackupState>();
        return services;
    }

    /// <summary>The server's own hourly backup, prune and scrub, and daily verify (see <see cref="BackupScheduleOptions"/>).</summary>
    public static IServiceCollection AddKeepsakeBackupSchedule(this IServiceCollection services) =>
        services.AddHostedService<BackupScheduler>();

    /// <summary>The photo backup's gauges: its runs and copies (<see cref="PhotoBackupStatistics"/>) and the newest
    /// verification of the copies (<see cref="PhotoCopyVerificationStatistics"/>).</summary>
    public static IServiceCollection AddPhotoBackupStatistics(this IServiceCollection services) =>
        services.AddHostedService<PhotoBackupStatistics>().AddHostedService<PhotoCopyVerificationStatistics>();

    /// <summary>The server's start-up warning while the photos have no second copy (see <see cref="PhotoBackupOptions"/>).</summary>
    public static IServiceCollection AddPhotoBackupWarningAtStart(this IServiceCollection services) =>
        services.AddHostedService<PhotoBackupWarningAtStart>();
}
