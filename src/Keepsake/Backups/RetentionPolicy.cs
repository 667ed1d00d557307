using System.Globalization;

namespace Keepsake.Backups;

/// <summary>One backup as retention sees it.</summary>
public sealed record RetentionCandidate(string Id, DateTimeOffset CreatedAt, bool Verified);

/// <summary>Whether a backup stays, and why.</summary>
public sealed record RetentionDecision(RetentionCandidate Backup, bool Keep, string Reason);

/// <summary>
/// Calendar-shaped retention (grandfather-father-son): every backup younger than <c>keepAllFor</c>; up to
/// <c>keepDailyFor</c> the first of each UTC day; older, the first of each UTC month. The newest backup
/// and the newest verified one always stay, so pruning can never leave nothing to restore.
/// </summary>
public static class RetentionPolicy
{
    public static IReadOnlyList<RetentionDecision> Decide(IEnumerable<RetentionCandidate> backups, DateTimeOffset now, TimeSpan keepAllFor, TimeSpan keepDailyFor)
    {
        var ordered = backups.OrderBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            return [];
        }
        var newest = ordered[^1];
        var newestVerified = ordered.LastOrDefault(b => b.Verified);
        // A day or month that straddles a boundary is counted within each band separately, so the part of it
        // in the daily band still keeps its own first backup.
        var firstOfDay = ordered.Where(b => BandOf(now - b.CreatedAt, keepAllFor, keepDailyFor) == Band.Daily)
            .GroupBy(b => b.CreatedAt.UtcDateTime.Date).Select(g => g.First()).ToHashSet();
        var firstOfMonth = ordered.Where(b => BandOf(now - b.CreatedAt, keepAllFor, keepDailyFor) == Band.Monthly)
            .GroupBy(b => (b.CreatedAt.UtcDateTime.Year, b.CreatedAt.UtcDateTime.Month)).Select(g => g.First()).ToHashSet();

        return ordered.Select(backup =>
        {
            var age = now - backup.CreatedAt;
            var day = backup.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var month = backup.CreatedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            if (backup == newest)
            {
                return new RetentionDecision(backup, true, "the newest backup");
            }
            if (backup == newestVerified)
            {
                return new RetentionDecision(backup, true, "the newest verified backup");
            }
            var band = BandOf(age, keepAllFor, keepDailyFor);
            if (band == Band.All)
            {
                return new RetentionDecision(backup, true, $"younger than {Describe(keepAllFor)}");
            }
            if (band == Band.Daily)
            {
                return firstOfDay.Contains(backup)
                    ? new RetentionDecision(backup, true, $"the first of {day} (UTC)")
                    : new RetentionDecision(backup, false, $"older than {Describe(keepAllFor)} and not the first of {day} (UTC)");
            }
            return firstOfMonth.Contains(backup)
                ? new RetentionDecision(backup, true, $"the first of {month} (UTC)")
                : new RetentionDecision(backup, false, $"older than {Describe(keepDailyFor)} and not the first of {month} (UTC)");
        }).ToList();
    }

    /// <summary>Which rule applies at an age: keep all, the first of each day, or the first of each month.</summary>
    public enum Band
    {
        All,
        Daily,
        Monthly,
    }

    public static Band BandOf(TimeSpan age, TimeSpan keepAllFor, TimeSpan keepDailyFor) =>
        age < keepAllFor ? Band.All : age < keepDailyFor ? Band.Daily : Band.Monthly;

    public static string Describe(TimeSpan span) => span.TotalDays >= 1
        ? $"{span.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days"
        : $"{span.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} hours";
}
