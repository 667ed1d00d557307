namespace Keepsake.Hosting;

/// <summary>
/// The loop of a job the server runs itself on a timer (backups, fsck, the trash purge): one run per interval on the app's
/// clock until the host stops. A failed run is logged and the job tries again at the next interval, so one bad night
/// never stops the schedule. Ticks that come within half an interval of the last run are dropped: a clock that jumped
/// ahead (a host waking from sleep, a test's clock moved by a month) delivers every tick it passed at once, and running
/// the job for each of them, back to back, would do the same work thousands of times.
/// </summary>
public static partial class PeriodicJob
{
    public static async Task RunAsync(
        string what, TimeSpan interval, TimeProvider clock, ILogger logger, Func<CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        DateTimeOffset? lastRun = null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.GetUtcNow();
            if (now < lastRun + interval / 2)
            {
                continue;
            }
            lastRun = now;
            try
            {
                await run(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e, what);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled {What} failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
