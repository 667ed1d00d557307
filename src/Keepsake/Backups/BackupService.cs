using System.Diagnostics;
using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Privacy;
using Keepsake.Sharing;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups;

/// <summary>
/// Database backups in the blob store under <c>backups/{id}/</c>: a compressed dump, its manifest (written
/// last, so a backup without one never counts) and the latest verification. Every dump is staged in a
/// temporary file, never held in memory.
/// </summary>
public sealed partial class BackupService(
    IDatabaseBackupEngine engine,
    IBlobStore store,
    ErasureLedger ledger,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<BackupsOptions> options,
    ShareLinkCache shareLinks,
    RestoreHistory restores,
    PhotoCopyGenerations photoCopies,
    KeepsakeMetrics metrics)
{
    /// <summary>The name of every backup operation's scratch folder starts so (see <see cref="ScratchAreas"/>).</summary>
    public const string StagingPrefix = "keepsake-backup-";

    /// <summary>A backup's id begins with the UTC time it was begun (then 6 random hex digits): ids sort by time, and prune tells
    /// a folder a killed run left long ago from one a run is still writing.</summary>
    private const string IdTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    private const int IdTimeLength = 16;

    private static readonly string AppVersion =
        typeof(BackupService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Takes a consistent backup of the live database; <paramref name="reason"/> is one of <see cref="BackupReasons"/>.</summary>
    public async Task<BackupManifest> CreateAsync(string reason, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        if (!BackupReasons.Requestable.Contains(reason) && reason != BackupReasons.PreRestore)
        {
            throw new ArgumentException($"'{reason}' is not a backup reason.", nameof(reason));
        }
        var started = Stopwatch.GetTimestamp();
        var createdAt = clock.GetUtcNow();
        var id = createdAt.UtcDateTime.ToString(IdTimeFormat, CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        using var staging = ScratchFolder.Create(StagingPrefix, options.Value.TemporaryPath);
        var file = staging.File(engine.DumpFileName);

        progress?.Report(new BackupProgress($"dumping the {engine.Provider} database", 1, 3));
        // Read before the dump: every user erased so far is checked against the dump's own snapshot. A ledger
        // that cannot be read never stops a backup; the backup is then not known clean and waits for a scrub.
        IReadOnlyList<ErasureEntry> erasures;
        try
        {
            erasures = await ErasuresAsync(cancellationToken);
        }
        catch (BackupException)
        {
            erasures = [];
        }
        var snapshot = await engine.DumpAsync(file, [.. erasures.Select(e => e.UserId)], cancellationToken);
        // Read after the dump, so it covers every photo the dump names (a later generation at most: never too early).
        var photoCopyGeneration = await PhotoCopyGenerationNeededAsync(cancellationToken);
        progress?.Report(new BackupProgress("computing the checksum", 2, 3));
        var (sha256, size) = await HashFileAsync(file, cancellationToken);
        progress?.Report(new BackupProgress("storing the backup", 3, 3));
        // Known clean of every erasure so far, so it needs no scrub for them; one still holding an erased user
        // (its erasure was still under way) is left for the scrub.
        var scrubbedThrough = erasures.Count > 0 && snapshot.ErasedUsersHeld == 0 ? erasures[^1].Position : null;
        var manifest = new BackupManifest(id, createdAt, reason, engine.Provider, snapshot.SchemaVersion, AppVersion, engine.DumpFileName, size, sha256, snapshot.RowCounts, scrubbedThrough,
            PhotoCopyGeneration: photoCopyGeneration);
        try
        {
            await using (var dump = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                await store.WriteAsync(BackupKeys.Dump(id, engine.DumpFileName), dump, cancellationToken);
            }
            await WriteJsonAsync(BackupKeys.Manifest(id), manifest, cancellationToken);
        }
        catch
        {
            // A full store, an outage, an interruption: what this run wrote goes with it, rather than wait a day for prune.
            await DeleteQuietlyAsync(id);
            throw;
        }
        metrics.BackupTimed("create", Stopwatch.GetElapsedTime(started));
        return manifest;
    }

    /// <summary>Whether the photo backup target holds the copies <paramref name="manifest"/>'s database needs.</summary>
    public Task<PhotoCopyCheck> CheckPhotoCopiesAsync(BackupManifest manifest, CancellationToken cancellationToken) =>
        photoCopies.CheckAsync(manifest.PhotoCopyGeneration, cancellationToken);

    /// <summary>Null for a database an older release made, which has no photo copies to need (the pre-migration backup's case).</summary>
    private async Task<long?> PhotoCopyGenerationNeededAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await PhotoCopyGenerations.NeededAsync(scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>(), cancellationToken);
        }
        catch (DbException)
        {
            // On an up-to-date schema the failure is a real fault, and the backup fails with it.
            if ((await scope.ServiceProvider.GetRequiredService<DatabaseMigrations>().GetStatusAsync(cancellationToken)).IsUpToDate)
            {
                throw;
            }
            return null;
        }
    }

    /// <summary>Every complete backup, oldest first.</summary>
    public async Task<IReadOnlyList<BackupEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<BackupEntry>();
        foreach (var (id, keys) in await KeysByBackupAsync(cancellationToken))
        {
            if (!keys.Contains(BackupKeys.Manifest(id)) || await ReadJsonAsync<BackupManifest>(BackupKeys.Manifest(id), cancellationToken) is not { } manifest)
            {
                continue;
            }
            var verification = keys.Contains(BackupKeys.Verification(id)) ? await ReadJsonAsync<BackupVerification>(BackupKeys.Verification(id), cancellationToken) : null;
            entries.Add(new BackupEntry(manifest, verification));
        }
        return entries.OrderBy(e => e.Manifest.CreatedAt).ThenBy(e => e.Manifest.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every backup folder in the store, complete or not, with the keys it holds.</summary>
    private async Task<Dictionary<string, HashSet<string>>> KeysByBackupAsync(CancellationToken cancellationToken)
    {
        var folders = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await foreach (var blob in store.ListAsync(BackupKeys.Prefix, cancellationToken))
        {
            if (BackupKeys.IdOf(blob.Key) is not { } id)
            {
                continue;
            }
            if (!folders.TryGetValue(id, out var keys))
            {
                keys = new HashSet<string>(StringComparer.Ordinal);
                folders[id] = keys;
            }
            keys.Add(blob.Key);
        }
        return folders;
    }

    /// <summary>The backup <paramref name="idOrLatest"/> names (<c>latest</c> is the newest), or a clear error.</summary>
    public async Task<BackupEntry> FindAsync(string idOrLatest, CancellationToken cancellationToken)
    {
        var all = await ListAsync(cancellationToken);
        if (idOrLatest == "latest")
        {
            return all.Count > 0 ? all[^1] : throw new BackupException("There are no backups yet; take one with 'keepsake backup create'.");
        }
        return all.FirstOrDefault(e => e.Manifest.Id == idOrLatest)
            ?? throw new BackupException($"There is no backup '{idOrLatest}'; 'keepsake backup list' shows them.");
    }

    /// <summary>Restores a backup into a scratch database, checks it against its manifest, and records the result.</summary>
    public async Task<BackupVerification> VerifyAsync(string idOrLatest, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var manifest = (await FindAsync(idOrLatest, cancellationToken)).Manifest;
        using var staging = ScratchFolder.Create(StagingPrefix, options.Value.TemporaryPath);
        var file = staging.File(manifest.File);
        var verification = await CheckAsync(manifest, file, progress, cancellationToken);
        await WriteJsonAsync(BackupKeys.Verification(manifest.Id), verification, cancellationToken);
        metrics.BackupTimed("verify", Stopwatch.GetElapsedTime(started));
        return verification;
    }

    private async Task<BackupVerification> CheckAsync(BackupManifest manifest, string file, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new BackupProgress("fetching and checking the checksum", 1, 3));
        if (await DownloadAsync(manifest, file, cancellationToken) is { } damage)
        {
            return new BackupVerification(clock.GetUtcNow(), false, damage);
        }
        if (manifest.Provider != engine.Provider)
        {
            return new BackupVerification(clock.GetUtcNow(), false, $"the backup is of a {manifest.Provider} database; this installation runs {engine.Provider}");
        }
        progress?.Report(new BackupProgress("restoring into a scratch database", 2, 3));
        var check = await engine.CheckInScratchAsync(file, cancellationToken);
        progress?.Report(new BackupProgress("comparing row counts", 3, 3));
        if (!check.IntegrityOk)
        {
            return new BackupVerification(clock.GetUtcNow(), false, "integrity check failed: " + check.Integrity);
        }
        var differences = manifest.RowCounts.Keys.Union(check.RowCounts.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(table => manifest.RowCounts.GetValueOrDefault(table, -1) != check.RowCounts.GetValueOrDefault(table, -1))
            .Select(table => $"{table}: manifest {Count(manifest.RowCounts, table)}, restored {Count(check.RowCounts, table)}")
            .ToList();
        if (differences.Count > 0)
        {
            return new BackupVerification(clock.GetUtcNow(), false, "row counts differ from the manifest: " + string.Join("; ", differences));
        }
        var rows = check.RowCounts.Values.Sum();
        return new BackupVerification(clock.GetUtcNow(), true,
            $"integrity ok; {rows.ToString(CultureInfo.InvariantCulture)} rows in {check.RowCounts.Count.ToString(CultureInfo.InvariantCulture)} tables match the manifest");
    }

    private static string Count(IReadOnlyDictionary<string, long> counts, string table) =>
        counts.TryGetValue(table, out var count) ? count.ToString(CultureInfo.InvariantCulture) : "no table";

    /// <summary>True when the live database holds any row beyond the migration history.</summary>
    public async Task<bool> LiveDatabaseHoldsDataAsync(CancellationToken cancellationToken) =>
        (await engine.CountLiveRowsAsync(cancellationToken)).Any(t => t.Key != "__migrations" && t.Value > 0);

    public async Task<BackupStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var all = await ListAsync(cancellationToken);
        var erasures = await ErasuresAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var newest = all.LastOrDefault();
        var newestVerified = all.LastOrDefault(e => e.IsVerified);
        var awaiting = all.Where(e => e.AwaitsScrub(erasures)).ToList();
        var oldestUnscrubbed = erasures.FirstOrDefault(erasure => awaiting.Any(e => !e.Manifest.Covers(erasure)));
        return new BackupStatus(
            newest,
            newestVerified,
            newest is null || now - newest.Manifest.CreatedAt > options.Value.StaleBackupAfter,
            newestVerified is null || now - newestVerified.Manifest.CreatedAt > options.Value.StaleVerificationAfter,
            awaiting.Count,
            oldestUnscrubbed,
            oldestUnscrubbed is not null && now - oldestUnscrubbed.ErasedAt > options.Value.ScrubWithin);
    }

    /// <summary>Copies a backup's dump to <paramref name="file"/>, hashing it on the way; returns what is wrong with it, or null.</summary>
    private async Task<string?> DownloadAsync(BackupManifest manifest, string file, CancellationToken cancellationToken)
    {
        await using (var source = await store.OpenReadAsync(BackupKeys.Dump(manifest.Id, manifest.File), cancellationToken))
        {
            if (source is null)
            {
                return $"its dump {BackupKeys.Dump(manifest.Id, manifest.File)} is missing from the blob store";
            }
            await using var target = new FileStream(file, PrivateFiles.NewFile());
            await source.CopyToAsync(target, cancellationToken);
        }
        var (sha256, size) = await HashFileAsync(file, cancellationToken);
        if (!string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return $"checksum mismatch: the stored dump's SHA-256 is {sha256} ({size.ToString(CultureInfo.InvariantCulture)} bytes) but the manifest says {manifest.Sha256} ({manifest.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes); the backup is damaged";
        }
        return null;
    }

    private static async Task<(string Sha256, long Size)> HashFileAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    private async Task WriteJsonAsync<T>(string key, T value, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value, BackupKeys.Json));
        await store.WriteAsync(key, content, cancellationToken);
    }

    private async Task<T?> ReadJsonAsync<T>(string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        return stream is null ? default : await JsonSerializer.DeserializeAsync<T>(stream, BackupKeys.Json, cancellationToken);
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
