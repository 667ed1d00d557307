using System.ComponentModel.DataAnnotations;

namespace Keepsake.Observability;

/// <summary>
/// Which requests get a log line. Errors (a 4xx or 5xx answer, a client gone mid-answer) and slow requests always do;
/// fast successful ones only when <see cref="All"/> is on: at thousands of thumbnails a second, a line each would
/// cost more than the answer and fill the disk with nothing worth reading. Metrics count every request either way.
/// </summary>
public sealed class RequestLogOptions
{
    public const string Section = "RequestLog";

    /// <summary>A line for every request, as an access log; off by default.</summary>
    public bool All { get; set; }

    /// <summary>A request that takes at least this long is logged whatever its answer; <c>00:00:00</c> logs every request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SlowerThan { get; set; } = TimeSpan.FromSeconds(1);
}
