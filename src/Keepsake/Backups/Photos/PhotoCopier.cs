using System.Collections.Concurrent;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>What one run of <c>keepsake backup photos</c> did, counted by content (a file two users hold counts once);
/// <see cref="Failures"/> names every photo whose original could not be copied, one line each, and the run's record when it
/// could not be written; <see cref="Removed"/> counts the copies of deleted content that outlived their grace
/// (see <see cref="PhotoCopyRetention"/>).</summary>
public sealed record PhotoCopyResult(long Generation, int Copied, long CopiedBytes, int AlreadyThere, int Failed, IReadOnlyList<string> Failures, int Removed);

/// <summary>
/// Copies every original the photo backup target lacks, under its SHA-256 (<see cref="KeyOf"/>), so content is stored
/// once however many photos hold it. What is copied is known from <c>photo_copies</c> alone: the database finds the
/// content without a copy, so a run over an unchanged library reads no photo bytes and lists nothing. Contents are taken
/// a page at a time and copied <see cref="PhotoBackupOptions.Parallelism"/> at once; each copy is hashed as it streams and
/// refused when the bytes do not match the photo's recorded hash. A page's durable copies are recorded together
/// (<see cref="PhotoCopyRecords"/>), also when the run is cancelled, so a crash costs at most one page's records and the
/// next run goes on from there. Then the copies of content no photo holds any more are aged out
/// (<see cref="PhotoCopyRetention"/>). One run at a time (<see cref="PhotoBackupRunLock"/>).
/// </summary>
public sealed class PhotoCopier(
    KeepsakeDbContext db, IBlobStore primary, IOptions<PhotoBackupOptions> options, IOptions<DatabaseOptions> database, TimeProvider clock, PhotoCopyRetention retention)
{
    public const string Prefix = "sha256/";

    /// <summary>Contents per page: bounds the memory of a first run over a large library and the records a crash can cost.</summary>
    private const int PageSize = 256;

    /// <summary><c>sha256/ab/cd/abcd…</c>: two levels of folders keep a folder target's directories small.</summary>
    public static string KeyOf(string sha256) => $"{Prefix}{sha256[..2]}/{sha256[2..4]}/{sha256}";

    /// <summary>Deletes the copies of <paramref name="contents"/> that the target holds; returns how many it held.</summary>
    internal static async Task<int> DeleteCopiesAsync(IBlobStore target, IEnumerable<string> contents, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var sha256 in contents)
        {
            if (await target.ExistsAsync(KeyOf(sha256), cancellationToken))
            {
                await target.DeleteAsync(KeyOf(sha256), cancellationToken);
                deleted++;
            }
        }
        return deleted;
    }

    public async Task<PhotoCopyResult> RunAsync(IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        options.Value.ThrowIfDisabled("there is nowhere to copy the photos to");
        await using var runLock = await PhotoBackupRunLock.TryTakeAsync(db, database.Value, cancellationToken) ?? throw new PhotoBackupAlreadyRunningException();
        using var target = options.Value.CreateTarget();
        var generation = (await db.PhotoCopies.MaxAsync(c => (long?)c.Generation, cancellationToken) ?? 0) + 1;
        var alreadyThere = await Copyable().Where(p => db.Set<PhotoCopy>().Any(c => c.Sha256 == p.Sha256)).Select(p => p.Sha256).Distinct().CountAsync(cancellationToken);
        var run = new Run(await Uncopied().Select(p => p.Sha256).Distinct().CountAsync(cancellationToken), progress);
        var records = new PhotoCopyRecords(db, clock, generation);
        string? after = null;
        while (await NextPageAsync(after, cancellationToken) is { Count: > 0 } page)
        {
            after = page[^1].Key;
            var durable = new ConcurrentBag<(string Sha256, long SizeBytes)>();
            try
            {
                await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
                    async (content, token) =>
                    {
                        run.Starting(content.Key);
                        if (await CopyFromAnyHolderAsync(target.Store, content, run, token) is { } size)
                        {
                            durable.Add((content.Key, size));
                        }
                    });
            }
            finally
            {
                // Recorded even when the run is cancelled: those copies are durable, and the next run must not write them again.
                run.Recorded(await records.RecordAsync(target.Store, durable, CancellationToken.None));
            }
        }
        var removed = await retention.ApplyAsync(target.Store, cancellationToken);
        try
        {
            await PhotoBackupRecords.RecordRunAsync(target.Store, generation, run.Failed, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            // The copies stand (their rows say so); only the target's own account of the run is behind.
            run.Fail($"the run's record {PhotoBackupRecords.Key} could not be written to the target: {e.Message}");
        }
        return run.Result(generation, alreadyThere, removed);
    }

    /// <summary>Photos whose original should be in primary storage: one fsck marked missing has none to copy, and fsck reports it.</summary>
    private IQueryable<Photo> Copyable() => db.Photos.Where(p => p.OriginalMissingSince == null);

    private IQueryable<Photo> Uncopied() => Copyable().Where(p => !db.Set<PhotoCopy>().Any(c => c.Sha256 == p.Sha256));

    /// <summary>The next contents without a copy after <paramref name="after"/>, in hash order, each with its photos oldest first.</summary>
    private async Task<IReadOnlyList<IGrouping<string, Holder>>> NextPageAsync(string? after, CancellationToken cancellationToken)
    {
        var contents = await Uncopied()
            .Where(p => after == null || string.Compare(p.Sha256, after) > 0)
            .Select(p => p.Sha256).Distinct().OrderBy(s => s).Take(PageSize)
            .ToListAsync(cancellationToken);
        var holders = await Copyable()
            .Where(p => contents.Contains(p.Sha256))
            .OrderBy(p => p.Sha256).ThenBy(p => p.Id)
            .Select(p => new Holder(p.Sha256, p.OwnerId, p.Id, p.SizeBytes))
            .ToListAsync(cancellationToken);
        return holders.GroupBy(h => h.Sha256, StringComparer.Ordinal).ToList();
    }

    private sealed record Holder(string Sha256, Guid OwnerId, Guid Id, long SizeBytes);

    /// <summary>Copies the content from the first of its photos whose original is readable and whole; its size, or null when none is.</summary>
    private async Task<long?> CopyFromAnyHolderAsync(IBlobStore target, IGrouping<string, Holder> content, Run run, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var photo in content)
        {
            var problem = await CopyAsync(target, PhotoBlobs.Original(photo.OwnerId, photo.Id), content.Key, cancellationToken);
            if (problem is null)
            {
                return photo.SizeBytes;
            }
            problems.Add($"photo {photo.Id}: {problem}");
        }
        run.Fail(problems);
        return null;
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

    /// <summary>The counts and failures of one run, kept by copies running at once, and its progress, reported one at a time.</summary>
    private sealed class Run(int uncopied, IProgress<BackupProgress>? progress)
    {
        private readonly Lock _lock = new();
        private readonly List<string> _failures = [];
        private int _started;
        private int _copied;
        private long _copiedBytes;

        public int Failed { get; private set; }

        public void Starting(string sha256)
        {
            lock (_lock)
            {
                progress?.Report(new BackupProgress($"copying {sha256}", ++_started, uncopied));
            }
        }

        /// <summary>A content none of whose photos could be copied: one failure, a line per photo.</summary>
        public void Fail(IReadOnlyList<string> problems)
        {
            lock (_lock)
            {
                Failed++;
                _failures.AddRange(problems);
            }
        }

        public void Fail(string problem)
        {
            lock (_lock)
            {
                _failures.Add(problem);
            }
        }

        public void Recorded(PhotoCopyRecords.Outcome outcome)
        {
            lock (_lock)
            {
                _copied += outcome.Recorded;
                _copiedBytes += outcome.RecordedBytes;
                _failures.AddRange(outcome.Problems);
            }
        }

        public PhotoCopyResult Result(long generation, int alreadyThere, int removed) =>
            new(generation, _copied, _copiedBytes, alreadyThere, Failed, _failures, removed);
    }
}
