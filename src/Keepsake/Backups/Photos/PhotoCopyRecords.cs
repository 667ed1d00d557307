using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Backups.Photos;

/// <summary>
/// Writes the <c>photo_copies</c> rows of durable copies, a page at a time in one short transaction, each row only while a
/// photo still holds its content. Then it looks again: a row whose last photo went meanwhile (deleted, or its owner
/// erased) is forgotten, and every copy without a row is taken back. An erasure removes the copies after the user's photo
/// rows are gone, so each copy is either found by it or by this second look, whichever comes last.
/// </summary>
internal sealed class PhotoCopyRecords(KeepsakeDbContext db, TimeProvider clock, long generation)
{
    /// <summary>How many copies were recorded and their bytes, and the copies that could be neither recorded nor taken back.</summary>
    public sealed record Outcome(int Recorded, long RecordedBytes, IReadOnlyList<string> Problems);

    public async Task<Outcome> RecordAsync(IBlobStore target, IReadOnlyCollection<(string Sha256, long SizeBytes)> copies, CancellationToken cancellationToken)
    {
        if (copies.Count == 0)
        {
            return new Outcome(0, 0, []);
        }
        var copiedAt = clock.GetUtcNow().UtcDateTime;
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (sha256, sizeBytes) in copies)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO photo_copies ("Sha256", "SizeBytes", "Generation", "CopiedAt")
                    SELECT {sha256}, {sizeBytes}, {generation}, {copiedAt}
                    WHERE EXISTS (SELECT 1 FROM photos WHERE "Sha256" = {sha256})
                    """, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        });
        var contents = copies.Select(c => c.Sha256).ToList();
        await db.PhotoCopies.Where(c => contents.Contains(c.Sha256) && !db.Set<Photo>().Any(p => p.Sha256 == c.Sha256)).ExecuteDeleteAsync(cancellationToken);
        var recorded = (await db.PhotoCopies.Where(c => contents.Contains(c.Sha256)).Select(c => c.Sha256).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var sha256 in contents.Where(c => !recorded.Contains(c)))
        {
            if (await TakeBackAsync(target, sha256, cancellationToken) is { } problem)
            {
                problems.Add(problem);
            }
        }
        return new Outcome(recorded.Count, copies.Where(c => recorded.Contains(c.Sha256)).Sum(c => c.SizeBytes), problems);
    }

    /// <summary>Forgets copies found missing or corrupt, so the next run makes them again; returns how many rows went.</summary>
    public static async Task<int> ForgetAsync(KeepsakeDbContext db, IReadOnlyCollection<string> contents, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        foreach (var batch in contents.Chunk(500))
        {
            forgotten += await db.PhotoCopies.Where(c => batch.Contains(c.Sha256)).ExecuteDeleteAsync(cancellationToken);
        }
        return forgotten;
    }

    /// <summary>Removes a copy whose last photo went while it was made; says so when it cannot.</summary>
    private static async Task<string?> TakeBackAsync(IBlobStore target, string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await target.DeleteAsync(PhotoCopier.KeyOf(sha256), cancellationToken);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || StorageFault.Classify(e) is not null)
        {
            return $"the copy {PhotoCopier.KeyOf(sha256)} was made as its last photo went, and could not be removed: {e.Message}";
        }
    }
}
