using System.Text.Json;
using Keepsake.Storage;

namespace Keepsake.Backups.Photos;

/// <summary>
/// The photo backup target's own account of the runs that wrote to it, kept beside the copies as
/// <see cref="PhotoBackupRecords.Key"/>: it travels with the copies, so a restored database (or another server) can ask
/// the target itself what it holds. <see cref="Generation"/> is the highest run that finished there: every copy of that
/// generation and the ones before it is in the target (a copy's row is written only once the copy is durable).
/// <see cref="LastSuccessAt"/> is when a run last finished with nothing failed; null while none has.
/// </summary>
public sealed record PhotoBackupRecord(long Generation, DateTimeOffset FinishedAt, int Failed, DateTimeOffset? LastSuccessAt);

public static class PhotoBackupRecords
{
    public const string Key = "keepsake-photo-backup.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<PhotoBackupRecord?> ReadAsync(IBlobStore target, CancellationToken cancellationToken)
    {
        await using var stream = await target.OpenReadAsync(Key, cancellationToken);
        return stream is null ? null : await JsonSerializer.DeserializeAsync<PhotoBackupRecord>(stream, Json, cancellationToken);
    }

    /// <summary>Records a finished run of <paramref name="generation"/>. The generation never goes down: after a restore of
    /// an older database the next run's number can be lower than one the target has already seen.</summary>
    public static async Task<PhotoBackupRecord> RecordRunAsync(IBlobStore target, long generation, int failed, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(target, cancellationToken);
        var record = new PhotoBackupRecord(
            Math.Max(generation, before?.Generation ?? 0), finishedAt, failed, failed == 0 ? finishedAt : before?.LastSuccessAt);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(record, Json));
        await target.WriteAsync(Key, content, cancellationToken);
        return record;
    }
}
