using System.ComponentModel.DataAnnotations;

namespace Keepsake.Observability;

/// <summary>How a stopping server lets go: first unready while still serving, then finishing what is in flight.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// After SIGTERM, readiness is 503 but requests are still served for this long, so load balancers
    /// and Kubernetes endpoints stop sending new ones before the listener closes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Then requests and uploads in flight get this long to finish (the Kubernetes grace period must cover both).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
