using System.Globalization;
using System.Text.Json;
using Keepsake.Storage;

namespace Keepsake.Backups;

/// <summary>
/// A restore of backup <see cref="BackupId"/> over a database that held data, which <see cref="SafetyBackupId"/> keeps;
/// <see cref="RestoredAt"/> is taken just before the database is replaced.
/// </summary>
public sealed record RestoreRecord(string BackupId, DateTimeOffset BackupTakenAt, DateTimeOffset RestoredAt, string SafetyBackupId);

/// <summary>
/// The restores that replaced a database holding data, one small object each under <see cref="Prefix"/>. A photo uploaded
/// between a backup and its restore loses its row, which only the restore's safety backup still holds, while its files
/// stay in storage: fsck holds those files while the safety backup is kept, so restoring that backup brings the photo back
/// whole instead of as a row without files.
/// </summary>
public sealed class RestoreHistory(IBlobStore store)
{
    public const string Prefix = "restores/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(RestoreRecord record, CancellationToken cancellationToken)
    {
        var key = $"{Prefix}{record.RestoredAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture)}-{record.BackupId}.json";
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(record, Json));
        await store.WriteAsync(key, content, cancellationToken);
    }

    /// <summary>The restores whose safety backup is still kept (retention has not pruned it), oldest first.</summary>
    public async Task<IReadOnlyList<RestoreRecord>> WithSafetyBackupKeptAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var blob in store.ListAsync(Prefix, cancellationToken))
        {
            keys.Add(blob.Key);
        }
        keys.Sort(StringComparer.Ordinal);
        var kept = new List<RestoreRecord>();
        foreach (var key in keys)
        {
            var record = await ReadAsync(key, cancellationToken);
            if (record is not null && await store.ExistsAsync(BackupKeys.Manifest(record.SafetyBackupId), cancellationToken))
            {
                kept.Add(record);
            }
        }
        return kept;
    }

    /// <summary>A record, or null when it went since the listing. Throws <see cref="InvalidDataException"/> naming a damaged one:
    /// fsck then stops rather than remove files the record may hold.</summary>
    private async Task<RestoreRecord?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return null;
        }
        try
        {
            return await JsonSerializer.DeserializeAsync<RestoreRecord>(stream, Json, cancellationToken)
                ?? throw new InvalidDataException($"The restore record {key} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The restore record {key} is not a valid record: {e.Message}", e);
        }
    }
}
