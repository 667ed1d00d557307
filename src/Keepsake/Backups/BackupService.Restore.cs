using Keepsake.Data;
using Keepsake.Privacy;
using Keepsake.Secrets;
using Keepsake.Sharing;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Backups;

/// <summary>A backup put back in place of the live database (<c>backup restore</c>).</summary>
public sealed partial class BackupService
{
    /// <summary>
    /// Replaces the live database with a backup: a safety backup of what is there first (when it holds
    /// data), the restore, migrations up to this build, then the erasure ledger replayed. Photo files are not in
    /// the backup: photos deleted since come back as rows without files (fsck marks them missing), and the files of
    /// photos added since are held for the safety backup (see <see cref="RestoreHistory"/>).
    /// </summary>
    public async Task<RestoreOutcome> RestoreAsync(string idOrLatest, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var manifest = (await FindAsync(idOrLatest, cancellationToken)).Manifest;
        if (manifest.Provider != engine.Provider)
        {
            throw new BackupException($"Backup {manifest.Id} is of a {manifest.Provider} database; this installation runs {engine.Provider}.");
        }
        using var staging = ScratchFolder.Create(StagingPrefix, options.Value.TemporaryPath);
        var file = staging.File(manifest.File);
        progress?.Report(new BackupProgress("fetching and checking the checksum", 1, 5));
        if (await DownloadAsync(manifest, file, cancellationToken) is { } damage)
        {
            throw new BackupException($"Backup {manifest.Id} cannot be restored: {damage}. Nothing was changed.");
        }
        string? safetyId = null;
        if (await LiveDatabaseHoldsDataAsync(cancellationToken))
        {
            progress?.Report(new BackupProgress("taking a safety backup of the current database", 2, 5));
            safetyId = (await CreateAsync(BackupReasons.PreRestore, null, cancellationToken)).Id;
            // Recorded before the switch, so that a scheduled fsck running meanwhile already holds what the safety backup needs.
            await restores.RecordAsync(new RestoreRecord(manifest.Id, manifest.CreatedAt, clock.GetUtcNow(), safetyId), cancellationToken);
        }
        var sharedBefore = safetyId is null ? [] : await ShareTokenHashesAsync(cancellationToken);
        // From the switch on, nothing stops the restore: cut short, it would leave an emptied database (PostgreSQL drops
        // the tables first) or erased users brought back before the ledger is replayed.
        var toTheEnd = CancellationToken.None;
        progress?.Report(new BackupProgress($"restoring {manifest.Id}", 3, 5));
        await engine.RestoreAsync(file, toTheEnd);
        progress?.Report(new BackupProgress("migrating to this build's schema", 4, 5));
        await MigrateAsync(toTheEnd);
        progress?.Report(new BackupProgress("replaying the erasure ledger", 5, 5));
        var replayed = await ReplayErasuresAsync(toTheEnd);
        await SealClearKeysAsync(toTheEnd);
        // A share link cached from the replaced database (Redis outlives it) must not answer for the restored one.
        await shareLinks.ForgetAsync(sharedBefore.Concat(await ShareTokenHashesAsync(toTheEnd)), toTheEnd);
        return new RestoreOutcome(manifest, safetyId, replayed);
    }

    private async Task<List<byte[]>> ShareTokenHashesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().ShareLinks.Select(l => l.TokenHash).ToListAsync(cancellationToken);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        // The safety backup was taken before the restore: no pre-migration backup of the restored database.
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrations>().MigrateAsync(beforeApplying: null, cancellationToken);
    }

    /// <summary>A backup from before session keys were sealed brings them back in the clear: sealed again at once when this
    /// process has the key-encryption key, else by the next server to start.</summary>
    private async Task SealClearKeysAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<KeyEncryptionKey>().Problem is null)
        {
            await scope.ServiceProvider.GetRequiredService<KeyRingReprotection>().ReprotectAsync(cancellationToken);
        }
    }

    private async Task<int> ReplayErasuresAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var erasure = scope.ServiceProvider.GetRequiredService<UserErasure>();
        var replayed = 0;
        await foreach (var entry in scope.ServiceProvider.GetRequiredService<ErasureLedger>().ReadAsync(cancellationToken))
        {
            await erasure.EraseRecordedAsync(entry, cancellationToken);
            replayed++;
        }
        return replayed;
    }
}
