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
/// once however many photos hold it. What is copied is known from <c>photo_copies</c> alone: a run over an unchanged
/// library reads no photo bytes and lists nothing. Each copy is hashed as it streams and refused when the bytes do not
/// match the photo's recorded hash; its row is written once the copy is durable, so a crash costs at most the file in flight
/// and the next run goes on from there. Then the copies of content no photo holds any more are aged out
/// (<see cref="PhotoCopyRetention"/>). One run at a time (<see cref="PhotoBackupRunLock"/>).
/// </summary>
public sealed class PhotoCopier(
    KeepsakeDbContext db, IBlobStore primary, IOptions<PhotoBackupOptions> options, IOptions<DatabaseOptions> database, TimeProvider clock, PhotoCopyRetention retention)
{
    public const string Prefix = "sha256/";

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
        if (!options.Value.IsEnabled)
        {
            throw new BackupException($"{PhotoBackupOptions.Section}:Provider is 'none': there is nowhere to copy the photos to. Set it to 'filesystem' (with {PhotoBackupOptions.Section}:Path) or 's3'.");
        }
        await using var runLock = await PhotoBackupRunLock.TryTakeAsync(db, database.Value, cancellationToken) ?? throw new PhotoBackupAlreadyRunningException();
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
                    if (await RecordAsync(content.Key, photo.SizeBytes, generation, cancellationToken))
                    {
                        copiedCount++;
                        copiedBytes += photo.SizeBytes;
                    }
                    else if (await TakeBackAsync(target.Store, content.Key, cancellationToken) is { } left)
                    {
                        failures.Add(left);
                    }
                    problems.Clear();
                    break;
                }
                problems.Add($"photo {photo.Id}: {problem}");
            }
            failed += problems.Count > 0 ? 1 : 0;
            failures.AddRange(problems);
        }
        var removed = await retention.ApplyAsync(target.Store, cancellationToken);
        try
        {
            await PhotoBackupRecords.RecordRunAsync(target.Store, generation, failed, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            // The copies stand (their rows say so); only the target's own account of the run is behind.
            failures.Add($"the run's record {PhotoBackupRecords.Key} could not be written to the target: {e.Message}");
        }
        return new PhotoCopyResult(generation, copiedCount, copiedBytes, alreadyThere, failed, failures, removed);
    }

    /// <summary>
    /// Records a durable copy, in one statement that holds only while a photo still holds the content: an erasure removes
    /// the copies after the user's photo rows are gone, so a copy recorded before that is found by it, and one whose last
    /// photo went meanwhile is not recorded at all.
    /// </summary>
    private async Task<bool> RecordAsync(string sha256, long sizeBytes, long generation, CancellationToken cancellationToken)
    {
        var copiedAt = clock.GetUtcNow().UtcDateTime;
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO photo_copies ("Sha256", "SizeBytes", "Generation", "CopiedAt")
            SELECT {sha256}, {sizeBytes}, {generation}, {copiedAt}
            WHERE EXISTS (SELECT 1 FROM photos WHERE "Sha256" = {sha256})
            """, cancellationToken) == 1;
    }

    /// <summary>Removes a copy whose last photo went while it was made (deleted, or its owner erased); says so when it cannot.</summary>
    private static async Task<string?> TakeBackAsync(IBlobStore target, string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await target.DeleteAsync(KeyOf(sha256), cancellationToken);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            return $"the copy {KeyOf(sha256)} was made as its last photo went, and could not be removed: {e.Message}";
        }
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
