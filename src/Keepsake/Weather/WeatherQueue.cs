using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Weather;

/// <summary>What the queue holds right now, for the admin page and the metrics.</summary>
public sealed record WeatherQueueStatus(int Queued, int Waiting, int Failing, TimeSpan OldestAge, string? LastOutcome, int StoredDays);

/// <summary>
/// The queue of place-days to fetch, in the database so that a restart loses nothing and every replica
/// sees the same work. A replica claims a row with a conditional update (only a row whose lease has run
/// out and whose next attempt is due) and owns it when it changed exactly one row; a crashed owner's lease
/// simply runs out.
/// </summary>
public sealed class WeatherQueue(KeepsakeDbContext db, IOptions<WeatherOptions> options, TimeProvider time, WeatherWakeUp wakeUp)
{
    private WeatherOptions Options => options.Value;

    /// <summary>Queues the place-days of <paramref name="photos"/> that are neither stored nor queued; returns how many were new.</summary>
    public async Task<int> EnqueueAsync(IEnumerable<Photo> photos, CancellationToken cancellationToken)
    {
        var wanted = photos.Select(PlaceHour.Of).OfType<PlaceHour>().Select(h => h.Day).Where(d => d.Day >= OpenMeteoClient.ArchiveStart).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return 0;
        }
        var added = 0;
        foreach (var chunk in wanted.Chunk(500))
        {
            added += await EnqueueChunkAsync(chunk, cancellationToken);
        }
        if (added > 0)
        {
            wakeUp.Signal();
        }
        return added;
    }

    private async Task<int> EnqueueChunkAsync(IReadOnlyList<PlaceDay> chunk, CancellationToken cancellationToken)
    {
        var days = chunk.Select(p => p.Day).Distinct().ToList();
        var latitudes = chunk.Select(p => p.LatitudeTenths).Distinct().ToList();
        var known = new HashSet<PlaceDay>(
            (await db.WeatherDays.AsNoTracking().Where(d => days.Contains(d.Day) && latitudes.Contains(d.LatitudeTenths))
                .Select(d => new { d.LatitudeTenths, d.LongitudeTenths, d.Day }).ToListAsync(cancellationToken))
            .Concat(await db.WeatherQueue.AsNoTracking().Where(q => days.Contains(q.Day) && latitudes.Contains(q.LatitudeTenths))
                .Select(q => new { q.LatitudeTenths, q.LongitudeTenths, q.Day }).ToListAsync(cancellationToken))
            .Select(k => new PlaceDay(k.LatitudeTenths, k.LongitudeTenths, k.Day)));
        var fresh = chunk.Where(p => !known.Contains(p)).Select(NewItem).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }
        db.WeatherQueue.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return fresh.Count;
        }
        catch (DbUpdateException)
        {
            // Another replica queued some of them first: add the rest one by one, each conflict meaning "already queued".
            db.ChangeTracker.Clear();
            var added = 0;
            foreach (var item in fresh)
            {
                db.WeatherQueue.Add(NewItem(item.Key));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    added++;
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear();
                }
            }
            return added;
        }
    }

    private WeatherQueueItem NewItem(PlaceDay placeDay)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var fetchable = placeDay.Day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) + Options.ArchiveDelay;
        var due = fetchable > now ? fetchable : now;
        return new WeatherQueueItem
        {
            LatitudeTenths = placeDay.LatitudeTenths,
            LongitudeTenths = placeDay.LongitudeTenths,
            Day = placeDay.Day,
            WaitingSince = due,
            NextAttemptAt = due,
        };
    }

    /// <summary>Place-days that are due and not owned by anyone, oldest first; claim each before fetching it.</summary>
    public async Task<IReadOnlyList<PlaceDay>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.WeatherQueue.AsNoTracking()
            .Where(q => q.NextAttemptAt <= now && (q.ClaimedUntil == null || q.ClaimedUntil < now))
            .OrderBy(q => q.NextAttemptAt)
            .Take(limit)
            .Select(q => new { q.LatitudeTenths, q.LongitudeTenths, q.Day })
            .ToListAsync(cancellationToken);
        return due.Select(q => new PlaceDay(q.LatitudeTenths, q.LongitudeTenths, q.Day)).ToList();
    }

    /// <summary>Takes a place-day for <see cref="WeatherOptions.ClaimLease"/>; false when another replica has it or it is not due.</summary>
    public async Task<bool> TryClaimAsync(PlaceDay placeDay, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var leaseEnd = now + Options.ClaimLease;
        var claimed = await Item(placeDay)
            .Where(q => q.NextAttemptAt <= now && (q.ClaimedUntil == null || q.ClaimedUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(q => q.ClaimedUntil, leaseEnd).SetProperty(q => q.Attempts, q => q.Attempts + 1), cancellationToken);
        return claimed == 1;
    }

    /// <summary>Stores the hours and removes the place-day from the queue, in one transaction.</summary>
    public async Task StoreAsync(PlaceDay placeDay, IReadOnlyList<WeatherHour> hours, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var stored = await db.WeatherDays.AnyAsync(d => d.LatitudeTenths == placeDay.LatitudeTenths && d.LongitudeTenths == placeDay.LongitudeTenths && d.Day == placeDay.Day, cancellationToken);
            if (!stored)
            {
                db.WeatherHours.AddRange(hours);
                db.WeatherDays.Add(new WeatherDay
                {
                    LatitudeTenths = placeDay.LatitudeTenths,
                    LongitudeTenths = placeDay.LongitudeTenths,
                    Day = placeDay.Day,
                    FetchedAt = time.GetUtcNow().UtcDateTime,
                });
                await db.SaveChangesAsync(cancellationToken);
            }
            await Item(placeDay).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>Gives a failed place-day back with its next attempt time (backoff, or the provider's Retry-After when longer).</summary>
    public async Task DeferAsync(PlaceDay placeDay, FetchOutcome outcome, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var attempts = await Item(placeDay).Select(q => q.Attempts).FirstOrDefaultAsync(cancellationToken);
        var wait = outcome == FetchOutcome.NotYetAvailable ? Options.MaxBackoff : Backoff(attempts);
        if (retryAfter is { } after && after > wait)
        {
            wait = after;
        }
        var next = time.GetUtcNow().UtcDateTime + wait;
        var word = Word(outcome);
        await Item(placeDay).ExecuteUpdateAsync(set => set
            .SetProperty(q => q.NextAttemptAt, next)
            .SetProperty(q => q.ClaimedUntil, (DateTime?)null)
            .SetProperty(q => q.LastOutcome, word), cancellationToken);
    }

    /// <summary>Doubles per failed attempt from <see cref="WeatherOptions.FirstBackoff"/> up to the maximum, ±20 % so replicas drift apart.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = Math.Min(Options.FirstBackoff.Ticks * Math.Pow(2, exponent), Options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.8 + (Random.Shared.NextDouble() * 0.4))));
    }

    public async Task<WeatherQueueStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var queued = await db.WeatherQueue.CountAsync(cancellationToken);
        var waiting = await db.WeatherQueue.CountAsync(q => q.WaitingSince > now, cancellationToken);
        var failing = await db.WeatherQueue.CountAsync(q => q.LastOutcome != null, cancellationToken);
        var oldest = await db.WeatherQueue.Where(q => q.WaitingSince <= now).OrderBy(q => q.WaitingSince).Select(q => (DateTime?)q.WaitingSince).FirstOrDefaultAsync(cancellationToken);
        var lastOutcome = await db.WeatherQueue.Where(q => q.LastOutcome != null).OrderByDescending(q => q.NextAttemptAt).Select(q => q.LastOutcome).FirstOrDefaultAsync(cancellationToken);
        var stored = await db.WeatherDays.CountAsync(cancellationToken);
        return new WeatherQueueStatus(queued, waiting, failing, oldest is { } o ? now - o : TimeSpan.Zero, lastOutcome, stored);
    }

    /// <summary>How many of <paramref name="placeDays"/> are still queued, and the earliest next attempt among them.</summary>
    public async Task<(int Remaining, DateTime? NextAttemptAt)> RemainingAsync(IReadOnlyCollection<PlaceDay> placeDays, CancellationToken cancellationToken)
    {
        var days = placeDays.Select(p => p.Day).Distinct().ToList();
        var rows = await db.WeatherQueue.AsNoTracking().Where(q => days.Contains(q.Day))
            .Select(q => new { q.LatitudeTenths, q.LongitudeTenths, q.Day, q.NextAttemptAt }).ToListAsync(cancellationToken);
        var set = placeDays.ToHashSet();
        var mine = rows.Where(r => set.Contains(new PlaceDay(r.LatitudeTenths, r.LongitudeTenths, r.Day))).ToList();
        return (mine.Count, mine.Count == 0 ? null : mine.Min(r => r.NextAttemptAt));
    }

    public static string Word(FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.Stored => "stored",
        FetchOutcome.ServerError => "server_error",
        FetchOutcome.RateLimited => "rate_limited",
        FetchOutcome.Timeout => "timeout",
        FetchOutcome.Unreachable => "unreachable",
        FetchOutcome.CircuitOpen => "circuit_open",
        FetchOutcome.Malformed => "malformed",
        FetchOutcome.Rejected => "rejected",
        FetchOutcome.NotYetAvailable => "not_yet_available",
        _ => "other",
    };

    private IQueryable<WeatherQueueItem> Item(PlaceDay placeDay) =>
        db.WeatherQueue.Where(q => q.LatitudeTenths == placeDay.LatitudeTenths && q.LongitudeTenths == placeDay.LongitudeTenths && q.Day == placeDay.Day);
}

/// <summary>Wakes this replica's worker when something was queued here, instead of at its next poll.</summary>
public sealed class WeatherWakeUp
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers everything queued since.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
