using System.Collections.Concurrent;
using Keepsake.Hosting;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts;

/// <summary>
/// Counts failed password attempts per key (a client address, an address and an account, a share link) and makes
/// each key wait longer after every failure past its free ones: <see cref="AccountsOptions.FailedLoginFirstDelay"/>, then doubling up to
/// <see cref="AccountsOptions.FailedLoginMaxDelay"/>. Only the key waits: no account is ever locked, so a
/// stranger's guesses cannot keep the rightful user out. A key's failures are forgotten after
/// <see cref="AccountsOptions.FailedLoginWindow"/> without one.
/// </summary>
public sealed class FailedAttemptThrottle(IOptions<AccountsOptions> options, TimeProvider time)
{
    /// <summary>Past this many keys, the forgotten ones are swept out as new ones come in.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _keys = new(StringComparer.Ordinal);
    private readonly AccountsOptions _settings = options.Value;

    /// <summary>How long the longest-waiting of <paramref name="keys"/> must still wait; null when none waits.</summary>
    public TimeSpan? RetryAfter(params ReadOnlySpan<string> keys)
    {
        var now = time.GetUtcNow();
        TimeSpan? longest = null;
        foreach (var key in keys)
        {
            if (_keys.TryGetValue(key, out var failures) && failures.BlockedUntil(now) is { } until && (longest is null || until - now > longest))
            {
                longest = until - now;
            }
        }
        return longest;
    }

    /// <summary>Counts a failure against <paramref name="key"/>; past <paramref name="freeFailures"/> (by default
    /// <see cref="AccountsOptions.FailedLoginLimit"/>) the key waits.</summary>
    public void RecordFailure(string key, int? freeFailures = null)
    {
        var now = time.GetUtcNow();
        _keys.GetOrAdd(key, _ => new Failures()).Add(now, freeFailures ?? _settings.FailedLoginLimit, _settings);
        if (_keys.Count > SweepAbove)
        {
            foreach (var (stale, _) in _keys.Where(k => k.Value.IsForgotten(now, _settings.FailedLoginWindow)))
            {
                _keys.TryRemove(stale, out _);
            }
        }
    }

    /// <summary>A success clears the key: the household member who finally typed it right starts afresh.</summary>
    public void Forget(string key) => _keys.TryRemove(key, out _);

    public static string KeyFor(HttpContext context, string purpose) => $"{purpose}:{ClientAddress.Of(context)}";

    private sealed class Failures
    {
        private int _count;
        private DateTimeOffset _last;
        private DateTimeOffset _blockedUntil;

        public DateTimeOffset? BlockedUntil(DateTimeOffset now)
        {
            lock (this)
            {
                return _blockedUntil > now ? _blockedUntil : null;
            }
        }

        public bool IsForgotten(DateTimeOffset now, TimeSpan window)
        {
            lock (this)
            {
                return now - _last > window && _blockedUntil <= now;
            }
        }

        public void Add(DateTimeOffset now, int free, AccountsOptions settings)
        {
            lock (this)
            {
                if (now - _last > settings.FailedLoginWindow)
                {
                    _count = 0;
                }
                _count++;
                _last = now;
                if (_count >= free)
                {
                    var doublings = Math.Min(_count - free, 30);
                    var delay = TimeSpan.FromTicks(Math.Min(settings.FailedLoginFirstDelay.Ticks << doublings, settings.FailedLoginMaxDelay.Ticks));
                    _blockedUntil = now + delay;
                }
            }
        }
    }
}
