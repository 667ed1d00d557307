using System.Globalization;
using System.Security.Cryptography;
using Keepsake.Privacy;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Backups;

/// <summary>Erased users removed from the backups themselves (<c>backup scrub</c>).</summary>
public sealed partial class BackupService
{
    /// <summary>The erasure ledger, oldest first.</summary>
    public async Task<IReadOnlyList<ErasureEntry>> ErasuresAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.ReadAsync(cancellationToken).ToListAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new BackupException(e.Message + " Which backups still hold an erased user cannot be known until it is readable.", e);
        }
    }

    /// <summary>
    /// Rewrites every backup that may still hold an erased user: restored into a scratch database, the ledger's users
    /// erased there, dumped again under the same id, time and reason with a new checksum and row counts, then
    /// re-verified. The new dump is stored under a new name before the manifest points to it, and the old one is
    /// deleted after, so an interruption leaves the old backup or the new one, each matching its manifest. A backup
    /// that held none of them keeps its dump; its manifest records that it is clean through the newest erasure.
    /// </summary>
    public async Task<IReadOnlyList<ScrubOutcome>> ScrubAsync(IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var erasures = await ErasuresAsync(cancellationToken);
        if (erasures.Count == 0)
        {
            return [];
        }
        var pending = (await ListAsync(cancellationToken)).Where(e => e.AwaitsScrub(erasures)).ToList();
        var users = erasures.Select(e => e.UserId).ToList();
        var outcomes = new List<ScrubOutcome>();
        foreach (var (entry, index) in pending.Select((entry, index) => (entry, index)))
        {
            var step = new ImmediateProgress<string>(what => progress?.Report(new BackupProgress($"{entry.Manifest.Id}: {what}", index + 1, pending.Count)));
            outcomes.Add(await ScrubAsync(entry.Manifest, users, erasures[^1].Position, step, cancellationToken));
        }
        return outcomes;
    }

    private async Task<ScrubOutcome> ScrubAsync(BackupManifest manifest, IReadOnlyCollection<Guid> users, string through, IProgress<string> step, CancellationToken cancellationToken)
    {
        if (manifest.Provider != engine.Provider)
        {
            return new ScrubOutcome(manifest.Id, false, null, $"the backup is of a {manifest.Provider} database; this installation runs {engine.Provider}");
        }
        using var staging = ScratchFolder.Create(StagingPrefix, options.Value.TemporaryPath);
        var file = staging.File(manifest.File);
        step.Report("fetching and checking the checksum");
        if (await DownloadAsync(manifest, file, cancellationToken) is { } damage)
        {
            return new ScrubOutcome(manifest.Id, false, null, damage);
        }
        step.Report("erasing in a scratch database");
        var scrubbedAt = clock.GetUtcNow();
        var scrubbedName = $"scrubbed-{scrubbedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}-{engine.DumpFileName}";
        var scrubbedFile = staging.File(scrubbedName);
        var snapshot = await engine.ScrubAsync(file, users, scrubbedFile, cancellationToken);
        if (snapshot is null)
        {
            await WriteJsonAsync(BackupKeys.Manifest(manifest.Id), manifest with { ScrubbedThrough = through }, cancellationToken);
            return new ScrubOutcome(manifest.Id, false, null, null);
        }
        step.Report("storing the scrubbed dump");
        var (sha256, size) = await HashFileAsync(scrubbedFile, cancellationToken);
        await using (var dump = new FileStream(scrubbedFile, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            await store.WriteAsync(BackupKeys.Dump(manifest.Id, scrubbedName), dump, cancellationToken);
        }
        var scrubbed = manifest with
        {
            File = scrubbedName,
            SizeBytes = size,
            Sha256 = sha256,
            SchemaVersion = snapshot.SchemaVersion,
            RowCounts = snapshot.RowCounts,
            ScrubbedThrough = through,
            ScrubbedAt = scrubbedAt,
        };
        await WriteJsonAsync(BackupKeys.Manifest(manifest.Id), scrubbed, cancellationToken);
        await RemoveAllButManifestAndDumpAsync(manifest.Id, cancellationToken);
        step.Report("verifying");
        var verification = await VerifyAsync(manifest.Id, null, cancellationToken);
        return new ScrubOutcome(manifest.Id, true, verification, null);
    }

    /// <summary>
    /// Deletes the replaced dump, one an interrupted scrub left unreferenced (it must not escape later scrubs) and the
    /// verification of the replaced dump. The manifest is read again, so the dump it names now is always kept.
    /// </summary>
    private async Task RemoveAllButManifestAndDumpAsync(string id, CancellationToken cancellationToken)
    {
        var current = await ReadJsonAsync<BackupManifest>(BackupKeys.Manifest(id), cancellationToken)
            ?? throw new BackupException($"The manifest of backup {id} disappeared while it was scrubbed.");
        var keys = new List<string>();
        await foreach (var blob in store.ListAsync(BackupKeys.Folder(id), cancellationToken))
        {
            if (blob.Key != BackupKeys.Manifest(id) && blob.Key != BackupKeys.Dump(id, current.File))
            {
                keys.Add(blob.Key);
            }
        }
        foreach (var key in keys)
        {
            await store.DeleteAsync(key, cancellationToken);
        }
    }
}
