using Keepsake.Data;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos.Places;

/// <summary>
/// Names the places of the photos stored before Keepsake named places: those with a location that were never looked up,
/// in batches by id, each batch committed on its own. What is done stays done, so a run that stops (a restart, a crash)
/// is simply continued by the next, and a photo is never looked up twice.
/// </summary>
public sealed class PlaceBackfill(KeepsakeDbContext db, PlaceNames places)
{
    public const int DefaultBatchSize = 500;

    /// <summary>Names the places of up to <paramref name="batchSize"/> photos not yet looked up; returns their ids (none: all done).</summary>
    public async Task<IReadOnlyList<Guid>> FillBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        var photos = await db.Photos.Where(p => !p.PlaceLookedUp && p.Latitude != null)
            .OrderBy(p => p.Id).Take(batchSize).ToListAsync(cancellationToken);
        foreach (var photo in photos)
        {
            PlaceLookup.Name(photo, places);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return [.. photos.Select(p => p.Id)];
    }

    /// <summary>Names the places of every photo not yet looked up, a batch at a time; returns how many.</summary>
    public async Task<int> FillAsync(int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        while ((await FillBatchAsync(batchSize, cancellationToken)).Count is var count and > 0)
        {
            total += count;
        }
        return total;
    }
}
