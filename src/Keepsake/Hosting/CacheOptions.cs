namespace Keepsake.Hosting;

public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>
    /// A StackExchange.Redis configuration string (e.g. <c>redis:6379,password=...</c>) for the shared second
    /// level of the cache; empty keeps the cache in this process only.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every key Keepsake writes to Redis, so several deployments can share one server.</summary>
    public string InstanceName { get; set; } = "keepsake:";

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
