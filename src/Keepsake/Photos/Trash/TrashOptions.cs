using System.ComponentModel.DataAnnotations;

namespace Keepsake.Photos.Trash;

/// <summary>How long deleted photos wait in the trash, and the server's own timer that empties it of the expired ones.</summary>
public sealed class TrashOptions
{
    public const string Section = "Trash";

    /// <summary>How long a photo stays in the trash before it is deleted for good (30 days; 0 deletes at the next purge).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public TrashPurgeOptions Purge { get; set; } = new();
}

/// <summary>The server's own purge of expired photos, for the embedded default; a cluster runs <c>keepsake trash purge</c> as a CronJob instead.</summary>
public sealed class TrashPurgeOptions
{
    /// <summary>Whether the server purges by itself; unset means on for SQLite (one server), off for PostgreSQL (replicas: the CronJob runs it once).</summary>
    public bool? Enabled { get; set; }

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
