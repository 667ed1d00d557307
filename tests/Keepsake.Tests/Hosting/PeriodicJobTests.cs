using System.Threading.Channels;
using Keepsake.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Hosting;

public sealed class PeriodicJobTests
{
    [Fact]
    public async Task A_run_that_fails_is_logged_and_the_job_runs_again_at_the_next_interval_until_the_host_stops()
    {
        var clock = new FakeTimeProvider();
        var logger = new FakeLogger();
        var runs = Channel.CreateUnbounded<int>();
        var count = 0;
        using var stopping = new CancellationTokenSource();
        // A job that died with its first failure would never run again: the wait for the second run fails instead of hanging.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var job = PeriodicJob.RunAsync("nightly check", TimeSpan.FromHours(1), clock, logger, _ =>
        {
            runs.Writer.TryWrite(++count);
            return count == 1 ? Task.FromException(new IOException("the disk is gone")) : Task.CompletedTask;
        }, stopping.Token);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(runs.Reader.TryRead(out _));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await runs.Reader.ReadAsync(patience.Token));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, await runs.Reader.ReadAsync(patience.Token));
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);
        var failure = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Equal("Scheduled nightly check failed; trying again at the next interval", failure.Message);
        Assert.IsType<IOException>(failure.Exception);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(runs.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_clock_that_jumps_a_month_ahead_runs_the_job_once_not_once_for_every_interval_it_passed()
    {
        var clock = new FakeTimeProvider();
        var runs = Channel.CreateUnbounded<(int Count, DateTimeOffset At)>();
        var count = 0;
        using var stopping = new CancellationTokenSource();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var job = PeriodicJob.RunAsync("upload expiry", TimeSpan.FromHours(1), clock, new FakeLogger(), _ =>
        {
            runs.Writer.TryWrite((++count, clock.GetUtcNow()));
            return Task.CompletedTask;
        }, stopping.Token);

        clock.Advance(TimeSpan.FromDays(30));
        var afterTheJump = await runs.Reader.ReadAsync(patience.Token);
        clock.Advance(TimeSpan.FromHours(1));
        var next = await runs.Reader.ReadAsync(patience.Token);
        while (next.At < afterTheJump.At + TimeSpan.FromHours(1))
        {
            next = await runs.Reader.ReadAsync(patience.Token);
        }
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job);

        Assert.Equal(1, afterTheJump.Count);
        Assert.Equal(2, next.Count);
    }
}
