namespace Keepsake.Storage;

/// <summary>A blob's key and size, as listed by <see cref="IBlobStore.ListAsync"/>.</summary>
public sealed record BlobInfo(string Key, long Length, DateTimeOffset LastModified);

/// <summary>
/// Where originals, thumbnails, previews and backups live. Keys are '/'-separated paths such as
/// <c>originals/{owner}/{photo}</c>. Implementations make a write durable before it returns.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes the whole stream under <paramref name="key"/>, replacing any blob there, and
    /// returns only once the bytes are on stable storage.</summary>
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading, or returns null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>The file that holds a blob, for a store on the local file system, so a server can send it with
    /// <c>sendfile</c>; null for a store that has no such file (object storage), whose blobs are read as streams.</summary>
    string? LocalPathOf(string key) => null;

    /// <summary>Deletes a blob; deleting a missing blob is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every blob under a prefix, including what an interrupted write left behind, so fsck can find it.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Checks that the store can be reached and written to.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
