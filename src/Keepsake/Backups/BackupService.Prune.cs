using System.Globalization;

namespace Keepsake.Backups;

/// <summary>Backups retention lets go, and folders a killed run left without a manifest (<c>backup prune</c>).</summary>
public sealed partial class BackupService
{
    /// <summary>
    /// How old a backup folder without a manifest must be before prune deletes it: one that young may belong to a create
    /// still uploading its dump. A killed create (SIGKILL, a lost node) leaves such a folder; it never counts, and the
    /// scrub does not see it, so it must not stay for good.
    /// </summary>
    public static readonly TimeSpan IncompleteAfter = TimeSpan.FromDays(1);

    /// <summary>What retention decides now, and the incomplete folders old enough to go; unless <paramref name="dryRun"/>, they are deleted.</summary>
    public async Task<PruneOutcome> PruneAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var candidates = (await ListAsync(cancellationToken)).Select(e => new RetentionCandidate(e.Manifest.Id, e.Manifest.CreatedAt, e.IsVerified));
        var now = clock.GetUtcNow();
        var decisions = RetentionPolicy.Decide(candidates, now, options.Value.KeepAllFor, options.Value.KeepDailyFor);
        var incomplete = (await KeysByBackupAsync(cancellationToken))
            .Where(folder => !folder.Value.Contains(BackupKeys.Manifest(folder.Key)) && CreatedAtOf(folder.Key) < now - IncompleteAfter)
            .Select(folder => folder.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (!dryRun)
        {
            foreach (var id in decisions.Where(d => !d.Keep).Select(d => d.Backup.Id).Concat(incomplete))
            {
                await DeleteAsync(id, cancellationToken);
            }
        }
        return new PruneOutcome(decisions, incomplete);
    }

    /// <summary>When a backup was begun, from its id; null for a folder Keepsake did not name, which is never deleted.</summary>
    private static DateTimeOffset? CreatedAtOf(string id) =>
        id.Length >= IdTimeLength
        && DateTimeOffset.TryParseExact(id[..IdTimeLength], IdTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var createdAt)
            ? createdAt
            : null;

    /// <summary>Deletes the manifest first, so a backup interrupted halfway through deletion no longer counts.</summary>
    private async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(BackupKeys.Manifest(id), cancellationToken);
        var keys = new List<string>();
        await foreach (var blob in store.ListAsync(BackupKeys.Folder(id), cancellationToken))
        {
            keys.Add(blob.Key);
        }
        foreach (var key in keys)
        {
            await store.DeleteAsync(key, cancellationToken);
        }
    }

    /// <summary>Deletes what a failed create wrote, as far as the store lets it now; what it does not, prune deletes later.</summary>
    private async Task DeleteQuietlyAsync(string id)
    {
        try
        {
            await DeleteAsync(id, CancellationToken.None);
        }
        catch (Exception)
        {
            // The store is what failed, most likely: the folder has no manifest, so it never counts until prune removes it.
        }
    }
}
