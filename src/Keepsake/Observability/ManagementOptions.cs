using System.ComponentModel.DataAnnotations;

namespace Keepsake.Observability;

/// <summary>The management port: <c>/metrics</c> and the health endpoints, kept off the public port and the Ingress.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>9464 is the port OpenTelemetry's Prometheus exporter uses by convention; 0 turns the port (and /metrics) off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 9464;

    /// <summary>How often the photo, user and pending-migration gauges are counted again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the backup gauges read the manifests in the blob store again (one read per backup).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackupStatisticsInterval { get; set; } = TimeSpan.FromMinutes(5);
}
