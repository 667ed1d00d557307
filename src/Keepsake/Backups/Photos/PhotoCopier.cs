using System.Security.Cryptography;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>What one run of <c>keepsake backup photos</c> did, counted by content (a file two users hold counts once);
/// <see cref="Failures"/> names every photo whose original could not be copied, one line each; <see cref="Removed"/>
/// counts the copies of deleted content that outlived their grace (see <see cref="PhotoCopyRetention"/>).</summary>
public sealed record PhotoCopyResult(long Generation, int Copied, long CopiedBytes, int AlreadyThere, int Failed, IReadOnlyList<string> Failures, int Removed);

/// <summary>
/// Copies every original the photo backup target lacks, under its SHA-256 (<see cref="KeyOf"/>), so content is stored
/// once however many photos hold it. What is copied is known from <c>photo_copies</c> alone: a run over an unchanged
/// library reads no photo bytes and lists nothing. Each copy is hashed as it streams and refused when the bytes do not
/// match the photo's recorded hash; its row is written once the copy is durable, so a crash costs at most the file in flight.
/// Then the copies of content no photo holds any more are aged out (<see cref="PhotoCopyRetention"/>).
/// </summary>
public sealed class PhotoCopier(KeepsakeDbContext db, IBlobStore primary, IOptions<PhotoBackupOptions> options, TimeProvider clock, PhotoCopyRetention retention)
{
    public const string Prefix = "sha256/";

    /// <summary><c>sha256/ab/cd/abcd…</c>: two levels of folders keep a folder target's directories small.</summary>
    public static string KeyOf(string sha256) => $"{Prefix}{sha256[..2]}/{sha256[2..4]}/{sha256}";

    public async Task<PhotoCopyResult> RunAsync(IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            throw new BackupException($"{PhotoBackupOptions.Section}:Provider is 'none': there is nowhere to copy the photos to. Set it to 'filesystem' (with {PhotoBackupOptions.Section}:Path) or 's3'.");
        }
        using var target = options.Value.CreateTarget();
        var generation = (await db.PhotoCopies.MaxAsync(c => (long?)c.Generation, cancellationToken) ?? 0) + 1;
        var copied = (await db.PhotoCopies.Select(c => c.Sha256).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        // A photo fsck marked missing has no original to copy; fsck reports it.
        var originals = await db.Photos
            .Where(p => p.OriginalMissingSince == null)
            .Select(p => new { p.Sha256, p.OwnerId, p.Id, p.SizeBytes })
            .OrderBy(p => p.Sha256).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        var contents = originals.GroupBy(p => p.Sha256, StringComparer.Ordinal).ToList();
        var alreadyThere = contents.Count(c => copied.Contains(c.Key));
        var missing = contents.Where(c => !copied.Contains(c.Key)).ToList();
        var failures = new List<string>();
        var copiedCount = 0;
        var copiedBytes = 0L;
        var failed = 0;
        for (var index = 0; index < missing.Count; index++)
        {
            var content = missing[index];
            progress?.Report(new BackupProgress($"copying {content.Key}", index + 1, missing.Count));
            var problems = new List<string>();
            foreach (var photo in content)
            {
                var problem = await CopyAsync(target.Store, PhotoBlobs.Original(photo.OwnerId, photo.Id), content.Key, cancellationToken);
                if (problem is null)
                {
                    db.PhotoCopies.Add(new PhotoCopy { Sha256 = content.Key, SizeBytes = photo.SizeBytes, Generation = generation, CopiedAt = clock.GetUtcNow().UtcDateTime });
                    await db.SaveChangesAsync(cancellationToken);
                    copiedCount++;
                    copiedBytes += photo.SizeBytes;
                    problems.Clear();
                    break;
                }
                problems.Add($"photo {photo.Id}: {problem}");
            }
            failed += problems.Count > 0 ? 1 : 0;
            failures.AddRange(problems);
        }
        var removed = await retention.ApplyAsync(target.Store, cancellationToken);
        return new PhotoCopyResult(generation, copiedCount, copiedBytes, alreadyThere, failed, failures, removed);
    }

    /// <summary>Copies one original, or says why it could not; a copy whose bytes do not hash to <paramref name="sha256"/> is not stored.</summary>
    private async Task<string?> CopyAsync(IBlobStore target, string key, string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await using var source = await primary.OpenReadAsync(key, cancellationToken);
            if (source is null)
            {
                return $"its original {key} is missing from primary storage";
            }
            await using var hashing = new HashCheckingStream(source, sha256);
            await target.WriteAsync(KeyOf(sha256), hashing, cancellationToken);
            return null;
        }
        catch (HashMismatchException e)
        {
            return $"its original {key} does not match its SHA-256 {sha256} (the bytes hash to {e.Actual}); not copied";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            return $"copying {key} failed: {e.Message}";
        }
    }
}

/// <summary>Thrown at the end of a <see cref="HashCheckingStream"/> whose bytes do not hash as expected, so the writer stores nothing.</summary>
public sealed class HashMismatchException(string actual) : IOException($"the bytes hash to {actual}")
{
    public string Actual => actual;
}

/// <summary>Reads through to another stream, hashing as it goes, and fails the last read when the whole does not match.</summary>
internal sealed class HashCheckingStream(Stream inner, string expectedSha256) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        return Checked(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Checked(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Checked(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
        {
            _hash.AppendData(read);
            return read.Length;
        }
        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return string.Equals(actual, expectedSha256, StringComparison.Ordinal) ? 0 : throw new HashMismatchException(actual);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
