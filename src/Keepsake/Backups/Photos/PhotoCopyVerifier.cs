using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>What is wrong with one copy: it is not in the target, its bytes hash to something else, or it could not be read.</summary>
public enum CopyProblem
{
    Missing,
    Corrupt,
    Unreadable,
}

/// <summary>A copy that failed verification: its content's hash, what is wrong, and the photos that hold the content.</summary>
public sealed record BadCopy(string Sha256, CopyProblem Problem, string Detail, IReadOnlyList<Guid> HeldBy);

/// <summary>What one run of <c>keepsake backup verify --photos</c> found; <see cref="SamplePercent"/> is 100 when every copy was read.</summary>
public sealed record PhotoCopyVerificationResult(int Checked, int Recorded, long CheckedBytes, double SamplePercent, IReadOnlyList<BadCopy> Bad)
{
    public bool Succeeded => Bad.Count == 0;
}

/// <summary>
/// Re-reads copies from the photo backup target, all or a random sample of the recorded ones, and hashes each. A copy
/// found missing or corrupt is no longer recorded in <c>photo_copies</c>, so the next <c>keepsake backup photos</c> copies
/// its content again from the primary; one that could not be read (a target fault) stays recorded, to be read again next
/// time. Every run is recorded, for the metrics.
/// </summary>
public sealed class PhotoCopyVerifier(KeepsakeDbContext db, IOptions<PhotoBackupOptions> options, TimeProvider clock)
{
    public async Task<PhotoCopyVerificationResult> RunAsync(double samplePercent, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        options.Value.ThrowIfDisabled("there are no photo copies to verify");
        using var target = options.Value.CreateTarget();
        var recorded = await db.PhotoCopies.AsNoTracking().Select(c => c.Sha256).ToListAsync(cancellationToken);
        var chosen = Sample(recorded, samplePercent);
        var bad = new List<BadCopy>();
        var checkedBytes = 0L;
        for (var index = 0; index < chosen.Count; index++)
        {
            var sha256 = chosen[index];
            progress?.Report(new BackupProgress($"reading {sha256}", index + 1, chosen.Count));
            var (problem, detail, bytes) = await CheckAsync(target.Store, sha256, cancellationToken);
            checkedBytes += bytes;
            if (problem is { } found)
            {
                bad.Add(new BadCopy(sha256, found, detail!, await HoldersAsync(sha256, cancellationToken)));
            }
        }
        await PhotoCopyRecords.ForgetAsync(db, bad.Where(b => b.Problem != CopyProblem.Unreadable).Select(b => b.Sha256).ToList(), cancellationToken);
        db.PhotoCopyVerifications.Add(new PhotoCopyVerification
        {
            VerifiedAt = clock.GetUtcNow().UtcDateTime,
            Checked = chosen.Count,
            Recorded = recorded.Count,
            Failed = bad.Count,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new PhotoCopyVerificationResult(chosen.Count, recorded.Count, checkedBytes, samplePercent, bad);
    }

    /// <summary>A random <paramref name="percent"/> of the copies, at least one when there is any; in hash order, so a folder target is read in order.</summary>
    private static List<string> Sample(List<string> recorded, double percent)
    {
        if (percent >= 100)
        {
            return [.. recorded.Order(StringComparer.Ordinal)];
        }
        var count = recorded.Count == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(recorded.Count * percent / 100));
        var shuffled = recorded.ToArray();
        Random.Shared.Shuffle(shuffled);
        return [.. shuffled.Take(count).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads one copy through to its end, hashing it; returns what is wrong with it, if anything, and the bytes read.</summary>
    private static async Task<(CopyProblem? Problem, string? Detail, long Bytes)> CheckAsync(IBlobStore target, string sha256, CancellationToken cancellationToken)
    {
        var key = PhotoCopier.KeyOf(sha256);
        try
        {
            await using var copy = await target.OpenReadAsync(key, cancellationToken);
            if (copy is null)
            {
                return (CopyProblem.Missing, $"copy {key} is missing from the photo backup target", 0);
            }
            await using var hashing = new HashCheckingStream(copy, sha256);
            var counting = new CountingStream();
            await hashing.CopyToAsync(counting, cancellationToken);
            return (null, null, counting.Length);
        }
        catch (HashMismatchException e)
        {
            return (CopyProblem.Corrupt, $"copy {key} is corrupt: its bytes hash to {e.Actual}", 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            return (CopyProblem.Unreadable, $"copy {key} could not be read: {e.Message}", 0);
        }
    }

    private async Task<IReadOnlyList<Guid>> HoldersAsync(string sha256, CancellationToken cancellationToken) =>
        await db.Photos.AsNoTracking().Where(p => p.Sha256 == sha256).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(cancellationToken);

    /// <summary>A write-only sink that counts what it is given: a verification keeps no bytes.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
