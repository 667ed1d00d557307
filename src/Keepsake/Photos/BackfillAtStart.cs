namespace Keepsake.Photos;

/// <summary>
/// A one-off back-fill the server runs at start, for photos stored before a release that added something to every photo:
/// after the upgrade it does the work once, then has nothing left to do on later starts but one query. Replicas that run
/// it at once do the same work twice at worst, with the same result. A failure is logged; the next start continues.
/// </summary>
internal abstract partial class BackfillAtStart(IServiceScopeFactory scopes, ILogger logger) : BackgroundService
{
    /// <summary>What the back-fill gives each photo, for the log: "a place name".</summary>
    protected abstract string What { get; }

    /// <summary>Runs the back-fill with the scope's services; returns how many photos it did.</summary>
    protected abstract Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var done = await RunAsync(scope.ServiceProvider, stoppingToken);
            if (done > 0)
            {
                LogDone(logger, What, done);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, What, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-filled {What} for {Count} photos stored before it")]
    private static partial void LogDone(ILogger logger, string what, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Back-filling {What} failed; the next start continues")]
    private static partial void LogFailed(ILogger logger, string what, Exception exception);
}
