using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Keepsake.Storage;

namespace Keepsake.Privacy;

/// <summary>One erased user. <see cref="Position"/> is its key in the ledger: entries sort by it in the order they were written.</summary>
public sealed record ErasureEntry(Guid UserId, DateTimeOffset ErasedAt)
{
    public string Position => ErasureLedger.KeyOf(this)[ErasureLedger.Prefix.Length..];
}

/// <summary>
/// The users that were erased, kept in the blob store outside every database backup: one small JSON
/// object per erasure under <see cref="Prefix"/> (<c>{"userId":"…","erasedAt":"…"}</c>), named so that
/// keys sort by time. One object each rather than one appended file because object stores cannot
/// append, and two replicas rewriting one file at once would lose an erasure. Every restore replays
/// the ledger, so an erased user never comes back with an old backup. It holds ids and times only.
/// </summary>
public sealed class ErasureLedger(IBlobStore store)
{
    public const string Prefix = "ledger/erasures/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string KeyOf(ErasureEntry entry) =>
        $"{Prefix}{entry.ErasedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture)}-{entry.UserId:N}.json";

    /// <summary>Records an erasure and returns its entry; a user already in the ledger keeps their first entry.</summary>
    public async Task<ErasureEntry> AppendAsync(Guid userId, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        await foreach (var existing in ReadAsync(cancellationToken))
        {
            if (existing.UserId == userId)
            {
                return existing;
            }
        }
        var entry = new ErasureEntry(userId, erasedAt);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(entry, Json));
        await store.WriteAsync(KeyOf(entry), content, cancellationToken);
        return entry;
    }

    /// <summary>Every entry, oldest first. Throws <see cref="InvalidDataException"/> naming the entry that cannot be read.</summary>
    public async IAsyncEnumerable<ErasureEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var blob in store.ListAsync(Prefix, cancellationToken))
        {
            keys.Add(blob.Key);
        }
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            yield return await ReadEntryAsync(key, cancellationToken);
        }
    }

    /// <summary>One entry by its key. Throws <see cref="InvalidDataException"/> naming the entry when it cannot be read.</summary>
    public async Task<ErasureEntry> ReadEntryAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken)
            ?? throw new InvalidDataException($"The erasure ledger entry {key} was listed but cannot be read.");
        ErasureEntry? entry;
        try
        {
            entry = await JsonSerializer.DeserializeAsync<ErasureEntry>(stream, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The erasure ledger entry {key} is not a valid entry: {e.Message}", e);
        }
        if (entry is null || entry.UserId == Guid.Empty)
        {
            throw new InvalidDataException($"The erasure ledger entry {key} names no user.");
        }
        return entry;
    }
}
