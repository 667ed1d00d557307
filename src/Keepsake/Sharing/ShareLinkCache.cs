using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;

namespace Keepsake.Sharing;

/// <summary>What a share page needs to know about its link on every anonymous request. A link never changes
/// once made, except that it can stop existing (revoked, or its album deleted): those paths call
/// <see cref="ShareLinkCache.ForgetAsync"/>.</summary>
/// <remarks>An entry cached by an older release has no <see cref="IncludeLocation"/> and reads as false: hidden.</remarks>
public sealed record CachedShareLink(Guid Id, Guid AlbumId, string? PasswordHash, DateTime? ExpiresAt, bool IncludeLocation = false);

/// <summary>
/// Token hash → live link, so a visitor paging through a shared album does not cost a database query per
/// request. Only links that exist are cached: well-formed random tokens must not fill the cache. Entries
/// live briefly, which bounds the one race left (a read of the row just before a revoke, written to the
/// cache just after the revoke removed it).
/// </summary>
public sealed class ShareLinkCache(HybridCache cache, CachePolicy policy, KeepsakeMetrics metrics)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private HybridCacheEntryOptions Options => new() { Expiration = Lifetime, LocalCacheExpiration = Lifetime, Flags = policy.MutableEntries };

    private HybridCacheEntryOptions ReadOnly => new() { Flags = policy.MutableEntries | HybridCacheEntryFlags.DisableUnderlyingData };

    public async Task<CachedShareLink?> FindAsync(KeepsakeDbContext db, byte[] tokenHash, CancellationToken cancellationToken)
    {
        var key = Key(tokenHash);
        var cached = await cache.GetOrCreateAsync<CachedShareLink?>(key, _ => ValueTask.FromResult<CachedShareLink?>(null), ReadOnly, cancellationToken: cancellationToken);
        metrics.CacheLookedUp("share_link", hit: cached is not null);
        if (cached is not null)
        {
            return cached;
        }
        var found = await db.ShareLinks.AsNoTracking()
            .Where(l => l.TokenHash == tokenHash && l.RevokedAt == null)
            .Select(l => new CachedShareLink(l.Id, l.AlbumId, l.PasswordHash, l.ExpiresAt, l.IncludeLocation))
            .FirstOrDefaultAsync(cancellationToken);
        if (found is not null)
        {
            await cache.SetAsync(key, found, Options, cancellationToken: cancellationToken);
        }
        return found;
    }

    /// <summary>Drops the entries of links that were just revoked or deleted (by album, or every link of a user
    /// being erased); call after the database change is committed.</summary>
    public async Task ForgetAsync(IEnumerable<byte[]> tokenHashes, CancellationToken cancellationToken)
    {
        foreach (var hash in tokenHashes)
        {
            await cache.RemoveAsync(Key(hash), cancellationToken);
        }
    }

    private static string Key(byte[] tokenHash) => "share:" + Convert.ToHexStringLower(tokenHash);
}
