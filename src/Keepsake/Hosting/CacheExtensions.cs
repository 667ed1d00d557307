using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Keepsake.Hosting;

public static class CacheExtensions
{
    /// <summary>HybridCache, with Redis as its second level when <c>Cache:Redis</c> is set.</summary>
    public static IHostApplicationBuilder AddKeepsakeCache(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CacheOptions>(CacheOptions.Section);
        // One connection per process, shared by the cache and its health check. It is made when first used and
        // reconnects by itself after Redis comes back (AbortOnConnectFail off).
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var redis = ConfigurationOptions.Parse(services.GetRequiredService<IOptions<CacheOptions>>().Value.Redis!);
            redis.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(redis);
        });
        // Resolved from the bound options rather than configuration read while registering, like the blob store.
        // Without Redis the in-memory stand-in is never reached: CachePolicy turns the second level off.
        builder.Services.AddSingleton<IDistributedCache>(services =>
        {
            var options = services.GetRequiredService<IOptions<CacheOptions>>().Value;
            return options.UsesRedis
                ? new RedisCache(new RedisCacheOptions
                {
                    InstanceName = options.InstanceName,
                    ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()),
                })
                : new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        });
        builder.Services.AddHybridCache();
        builder.Services.AddSingleton<CachePolicy>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("cache", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}

/// <summary>
/// Where an entry whose source of truth can change (a share link that may be revoked) may be kept.
/// HybridCache's first level is a memory cache per process, and removing a key removes it only from this
/// process's memory and from Redis: another replica would go on serving its own copy. So:
/// <list type="bullet">
/// <item>with Redis, such entries live only in Redis (first level off), where one removal is seen by every replica;</item>
/// <item>without Redis, nowhere: other processes change the database too (replicas on PostgreSQL, and on the
/// embedded SQLite file the CLI's restore and erasure), and none could tell this process's memory. A lookup
/// by an indexed key costs little on either database.</item>
/// </list>
/// Tags (<c>RemoveByTagAsync</c>) are not relied on: HybridCache records a tag's invalidation time per process
/// and a shared L2 does not reliably carry it to other processes (dotnet/extensions#7771), so an entry is
/// removed by its key, which every write path can compute from the rows it changes.
/// </summary>
public sealed class CachePolicy(IOptions<CacheOptions> cache)
{
    public HybridCacheEntryFlags MutableEntries { get; } =
        cache.Value.UsesRedis
            ? HybridCacheEntryFlags.DisableLocalCache
            : HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache;
}

internal sealed class RedisHealthCheck(IServiceProvider services, IOptions<CacheOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.UsesRedis)
        {
            return HealthCheckResult.Healthy("In-process cache only.");
        }
        try
        {
            await services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis (Cache:Redis) cannot be reached: " + e.Message);
        }
    }
}
