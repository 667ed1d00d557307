using System.ComponentModel.DataAnnotations;

namespace Keepsake.Integrity;

/// <summary>The <c>Fsck</c> settings: the server's own scheduled repair.</summary>
public sealed class FsckOptions : IValidatableObject
{
    public const string Section = "Fsck";

    public FsckScheduleOptions Schedule { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Schedule.Interval < TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult("Fsck:Schedule:Interval must be at least a minute.", [nameof(Schedule)]);
        }
        // Unlike a person at a shell, a timer cannot know that no upload is in flight.
        if (Schedule.MinimumOrphanAge < TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Fsck:Schedule:MinimumOrphanAge must be at least 10 minutes: younger files may belong to an upload in progress.", [nameof(Schedule)]);
        }
    }
}

/// <summary>The server's own timer, for the embedded default; a cluster runs <c>keepsake fsck --repair</c> as a CronJob instead.</summary>
public sealed class FsckScheduleOptions
{
    /// <summary>Whether the server repairs by itself; unset means on for SQLite (one server), off for PostgreSQL (replicas: the CronJob runs it once).</summary>
    public bool? Enabled { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Files no photo references count as orphans, and are removed, only once this old.</summary>
    public TimeSpan MinimumOrphanAge { get; set; } = TimeSpan.FromHours(1);
}
