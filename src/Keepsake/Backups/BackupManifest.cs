using System.Text.Json;
using Keepsake.Privacy;

namespace Keepsake.Backups;

/// <summary>
/// What a backup holds, stored as <c>backups/{id}/manifest.json</c> next to the dump, written last.
/// <see cref="ScrubbedThrough"/> is the newest erasure-ledger position whose users the dump is known not to
/// hold (taken after them, or scrubbed of them); <see cref="ScrubbedAt"/> is when a scrub last rewrote the
/// dump. Both are absent from manifests written before scrubbing existed, which then await a scrub.
/// <see cref="PhotoCopyGeneration"/> is the photo-copy generation the photo backup target must hold for every original
/// the dump names to have its copy (see <see cref="Photos.PhotoCopyGenerations"/>); absent from older manifests.
/// </summary>
public sealed record BackupManifest(
    string Id,
    DateTimeOffset CreatedAt,
    string Reason,
    string Provider,
    string? SchemaVersion,
    string AppVersion,
    string File,
    long SizeBytes,
    string Sha256,
    IReadOnlyDictionary<string, long> RowCounts,
    string? ScrubbedThrough = null,
    DateTimeOffset? ScrubbedAt = null,
    long? PhotoCopyGeneration = null)
{
    /// <summary>Whether the dump is known not to hold the user of <paramref name="erasure"/>.</summary>
    public bool Covers(ErasureEntry erasure) =>
        ScrubbedThrough is { } position && string.CompareOrdinal(position, erasure.Position) >= 0;
}

/// <summary>The outcome of the latest <c>backup verify</c>, stored as <c>backups/{id}/verification.json</c>.</summary>
public sealed record BackupVerification(DateTimeOffset VerifiedAt, bool Succeeded, string Detail);

/// <summary>A backup as listed: its manifest and its latest verification, if any.</summary>
public sealed record BackupEntry(BackupManifest Manifest, BackupVerification? Verification)
{
    public bool IsVerified => Verification is { Succeeded: true };

    /// <summary>Whether the dump may still hold a user of <paramref name="erasures"/> (the ledger, oldest first).</summary>
    public bool AwaitsScrub(IReadOnlyList<ErasureEntry> erasures) => erasures.Count > 0 && !Manifest.Covers(erasures[^1]);
}

public static class BackupReasons
{
    public const string Manual = "manual";
    public const string Scheduled = "scheduled";
    public const string PreMigration = "pre-migration";
    public const string PreRestore = "pre-restore";

    /// <summary>The reasons a person or a job may give; <c>pre-restore</c> is only taken by a restore itself.</summary>
    public static readonly IReadOnlyList<string> Requestable = [Manual, Scheduled, PreMigration];
}

internal static class BackupKeys
{
    public const string Prefix = "backups/";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Folder(string id) => $"{Prefix}{id}/";

    public static string Manifest(string id) => $"{Prefix}{id}/manifest.json";

    public static string Verification(string id) => $"{Prefix}{id}/verification.json";

    public static string Dump(string id, string file) => $"{Prefix}{id}/{file}";

    /// <summary>The backup id of a key under <c>backups/</c>, or null.</summary>
    public static string? IdOf(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var slash = key.IndexOf('/', Prefix.Length);
        return slash < 0 ? null : key[Prefix.Length..slash];
    }
}
