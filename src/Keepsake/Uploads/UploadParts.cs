using System.Globalization;
using Keepsake.Storage;

namespace Keepsake.Uploads;

/// <summary>
/// Where an upload's bytes wait: part blobs <c>uploads/{owner}/{upload}/{offset}</c> in the blob store, each named by
/// the offset of its first byte. Not the staging folder: that is this process's own scratch, removed when it stops,
/// and on the scale stack each replica has its own, while a client resumes through whichever replica it reaches, after
/// a restart too. The blob store is the data folder on the embedded stack and object storage at scale, so both keep
/// the parts the same way. S3 cannot append to an object, so each part is an object of its own; a part sent again from
/// the same offset (after a crash between its write and its row's update) replaces the one before.
/// </summary>
public sealed class UploadParts(IBlobStore blobs)
{
    public const string Prefix = "uploads/";

    /// <summary>Wide enough for any length a long holds, so the keys sort as their offsets do.</summary>
    private const string OffsetFormat = "D19";

    public static string FolderOf(Guid ownerId, Guid uploadId) => $"{Prefix}{ownerId:N}/{uploadId:N}/";

    public static string KeyOf(Guid ownerId, Guid uploadId, long offset) =>
        FolderOf(ownerId, uploadId) + offset.ToString(OffsetFormat, CultureInfo.InvariantCulture);

    /// <summary>The owner and upload whose folder holds <paramref name="key"/>, or null for a key outside every upload's folder.</summary>
    public static (Guid OwnerId, Guid UploadId)? UploadOf(string key)
    {
        var path = key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..].Split('/') : [];
        return path.Length >= 3 && Guid.TryParseExact(path[0], "N", out var owner) && Guid.TryParseExact(path[1], "N", out var upload)
            ? (owner, upload)
            : null;
    }

    public Task WriteAsync(Guid ownerId, Guid uploadId, long offset, Stream content, CancellationToken cancellationToken) =>
        blobs.WriteAsync(KeyOf(ownerId, uploadId, offset), content, cancellationToken);

    /// <summary>
    /// The upload's first <paramref name="length"/> bytes, read part after part. Reading throws <see cref="MissingUploadPartException"/>
    /// when the parts do not run without a gap from the first byte to the last (a part lost from the store).
    /// </summary>
    public async Task<Stream> OpenAsync(Guid ownerId, Guid uploadId, long length, CancellationToken cancellationToken)
    {
        var parts = new List<(long Offset, string Key)>();
        await foreach (var blob in blobs.ListAsync(FolderOf(ownerId, uploadId), cancellationToken))
        {
            var name = blob.Key[(blob.Key.LastIndexOf('/') + 1)..];
            // Anything else in the folder (a store's temporary file of an interrupted write) is no part.
            if (name.Length == 19 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset < length)
            {
                parts.Add((offset, blob.Key));
            }
        }
        parts.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return new PartsStream(blobs, parts, length);
    }

    /// <summary>Removes every part of one upload.</summary>
    public Task<int> DeleteAsync(Guid ownerId, Guid uploadId, CancellationToken cancellationToken) =>
        DeleteUnderAsync(FolderOf(ownerId, uploadId), cancellationToken);

    /// <summary>Removes every part of every upload of one owner (their erasure).</summary>
    public Task<int> DeleteOwnerAsync(Guid ownerId, CancellationToken cancellationToken) =>
        DeleteUnderAsync($"{Prefix}{ownerId:N}/", cancellationToken);

    private async Task<int> DeleteUnderAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var blob in blobs.ListAsync(prefix, cancellationToken))
        {
            keys.Add(blob.Key);
        }
        foreach (var key in keys)
        {
            await blobs.DeleteAsync(key, cancellationToken);
        }
        return keys.Count;
    }

    /// <summary>The parts one after the other, each checked to begin where the one before ended.</summary>
    private sealed class PartsStream(IBlobStore blobs, List<(long Offset, string Key)> parts, long length) : Stream
    {
        private int _next;
        private Stream? _current;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_position < length)
            {
                if (_current is null)
                {
                    if (_next >= parts.Count || parts[_next].Offset != _position)
                    {
                        throw new MissingUploadPartException(_position);
                    }
                    _current = await blobs.OpenReadAsync(parts[_next++].Key, cancellationToken) ?? throw new MissingUploadPartException(_position);
                }
                var read = await _current.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - _position)], cancellationToken);
                if (read > 0)
                {
                    _position += read;
                    return read;
                }
                await _current.DisposeAsync();
                _current = null;
            }
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (_current is not null)
            {
                await _current.DisposeAsync();
            }
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _current?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>A part of an upload is gone from the store (removed by hand, lost with a disk): the upload cannot be completed.</summary>
public sealed class MissingUploadPartException(long offset)
    : Exception($"The upload's part at byte {offset} is missing from the store.")
{
    public long Offset { get; } = offset;
}
