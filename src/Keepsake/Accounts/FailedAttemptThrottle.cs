using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts;

/// <summary>
/// Counts failed password attempts per client address in a sliding window. Only failures count, so a
/// household behind one address can still log in while a guesser is slowed to a crawl.
/// </summary>
public sealed class FailedAttemptThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;

    public FailedAttemptThrottle(IOptions<AccountsOptions> options)
    {
        var settings = options.Value;
        _window = settings.FailedLoginWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = settings.FailedLoginLimit,
            Window = settings.FailedLoginWindow,
            SegmentsPerWindow = 5,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public TimeSpan Window => _window;

    public bool IsBlocked(string key) => _failures.GetStatistics(key)?.CurrentAvailablePermits == 0;

    public void RecordFailure(string key)
    {
        using var lease = _failures.AttemptAcquire(key);
    }

    public static string KeyFor(HttpContext context, string purpose) =>
        $"{purpose}:{context.Connection.RemoteIpAddress?.ToString() ?? "local"}";

    public void Dispose() => _failures.Dispose();
}
