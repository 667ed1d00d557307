using Keepsake.Backups;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Backups;

/// <summary>The retention rule as a pure function of the backups and the time (DESIGN.md: 30 days, then daily to a year, then monthly).</summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class RetentionPolicyTests
{
    private static readonly TimeSpan KeepAllFor = TimeSpan.FromDays(30);
    private static readonly TimeSpan KeepDailyFor = TimeSpan.FromDays(365);

    private static RetentionCandidate At(DateTimeOffset time, bool verified = false) =>
        new(time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture), time, verified);

    private static IReadOnlyList<RetentionDecision> Decide(IEnumerable<RetentionCandidate> backups, DateTimeOffset now) =>
        RetentionPolicy.Decide(backups, now, KeepAllFor, KeepDailyFor);

    [Fact]
    public void Two_years_of_hourly_backups_keep_the_last_30_days_then_one_a_day_to_a_year_then_one_a_month()
    {
        var now = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero);
        var start = now.AddDays(-730);
        var hourly = Enumerable.Range(0, (730 * 24) + 1).Select(h => At(start.AddHours(h))).ToList();

        var kept = Decide(hourly, now).Where(d => d.Keep).Select(d => d.Backup.CreatedAt).ToHashSet();

        var expected = new HashSet<DateTimeOffset>();
        // Every backup younger than 30 days: after 2026-05-16 00:00 up to now.
        for (var t = now.AddDays(-30).AddHours(1); t <= now; t = t.AddHours(1))
        {
            expected.Add(t);
        }
        // 30 days to a year: midnight of each day from 2025-06-16 to 2026-05-16, and on 2025-06-15 (whose
        // midnight is exactly a year old) the first backup still younger than a year, at 01:00.
        expected.Add(new DateTimeOffset(2025, 6, 15, 1, 0, 0, TimeSpan.Zero));
        for (var day = new DateTimeOffset(2025, 6, 16, 0, 0, 0, TimeSpan.Zero); day <= new DateTimeOffset(2026, 5, 16, 0, 0, 0, TimeSpan.Zero); day = day.AddDays(1))
        {
            expected.Add(day);
        }
        // Older than a year: the first of each month, June 2024 (where the history starts) to June 2025.
        expected.Add(start);
        for (var month = new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero); month <= new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero); month = month.AddMonths(1))
        {
            expected.Add(month);
        }
        Assert.Equal(720 + 336 + 13, expected.Count);
        Assert.Equal(expected.Order(), kept.Order());
    }

    [Fact]
    public void The_newest_backup_stays_however_old_and_the_newest_verified_one_stays_off_the_calendar()
    {
        var now = new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var oldDay = now.AddDays(-100).UtcDateTime.Date;
        var first = At(new DateTimeOffset(oldDay.AddHours(1), TimeSpan.Zero));
        var verified = At(new DateTimeOffset(oldDay.AddHours(2), TimeSpan.Zero), verified: true);
        var third = At(new DateTimeOffset(oldDay.AddHours(3), TimeSpan.Zero));
        var newest = At(new DateTimeOffset(oldDay.AddHours(4), TimeSpan.Zero));

        var decisions = Decide([first, verified, third, newest], now).ToDictionary(d => d.Backup, d => d);

        Assert.True(decisions[first].Keep);
        Assert.Contains("the first of", decisions[first].Reason, StringComparison.Ordinal);
        Assert.True(decisions[verified].Keep);
        Assert.Equal("the newest verified backup", decisions[verified].Reason);
        Assert.False(decisions[third].Keep);
        Assert.Contains("not the first of", decisions[third].Reason, StringComparison.Ordinal);
        Assert.True(decisions[newest].Keep);
        Assert.Equal("the newest backup", decisions[newest].Reason);
    }

    [Fact]
    public void No_backups_decide_nothing() => Assert.Empty(Decide([], DateTimeOffset.UnixEpoch));

    [Fact]
    public void Over_random_histories_the_newest_and_newest_verified_survive_pruning_twice_equals_once_and_each_period_keeps_its_oldest()
    {
        var now = new DateTimeOffset(2026, 6, 15, 9, 17, 0, TimeSpan.Zero);
        var random = new Random(20261123);
        for (var history = 0; history < 300; history++)
        {
            var backups = Enumerable.Range(0, random.Next(1, 200))
                .Select(_ => At(now.AddMinutes(-random.Next(0, 3 * 365 * 24 * 60)), verified: random.Next(4) == 0))
                .DistinctBy(b => b.Id)
                .ToList();

            var decisions = Decide(backups, now);
            var kept = decisions.Where(d => d.Keep).Select(d => d.Backup).ToList();
            var deleted = decisions.Where(d => !d.Keep).Select(d => d.Backup).ToList();

            var newest = backups.MaxBy(b => b.CreatedAt)!;
            Assert.Contains(newest, kept);
            if (backups.Where(b => b.Verified).MaxBy(b => b.CreatedAt) is { } newestVerified)
            {
                Assert.Contains(newestVerified, kept);
            }
            Assert.Equal(backups.Count, kept.Count + deleted.Count);

            var again = Decide(kept, now);
            Assert.All(again, d => Assert.True(d.Keep, $"history {history}: {d.Backup.Id} would go on a second prune: {d.Reason}"));

            foreach (var gone in deleted)
            {
                var period = PeriodOf(gone, now);
                Assert.Contains(kept, k => PeriodOf(k, now) == period && k.CreatedAt <= gone.CreatedAt);
                var keptByRule = decisions.Where(d => d.Keep && PeriodOf(d.Backup, now) == period && d.Reason.StartsWith("the first of", StringComparison.Ordinal));
                Assert.DoesNotContain(keptByRule, k => k.Backup.CreatedAt > gone.CreatedAt);
            }
        }
    }

    private static string PeriodOf(RetentionCandidate backup, DateTimeOffset now) =>
        RetentionPolicy.BandOf(now - backup.CreatedAt, KeepAllFor, KeepDailyFor) switch
        {
            RetentionPolicy.Band.All => "all",
            RetentionPolicy.Band.Daily => "day " + backup.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            _ => "month " + backup.CreatedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        };
}
