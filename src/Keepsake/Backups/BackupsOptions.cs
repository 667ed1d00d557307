using System.ComponentModel.DataAnnotations;

namespace Keepsake.Backups;

/// <summary>The <c>Backups</c> settings: retention, staleness thresholds, the in-process schedule and where the PostgreSQL tools are.</summary>
public sealed class BackupsOptions : IValidatableObject
{
    public const string Section = "Backups";

    /// <summary>Every backup younger than this is kept.</summary>
    public TimeSpan KeepAllFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Until this age the first backup of each UTC day is kept; older, the first of each UTC month.</summary>
    public TimeSpan KeepDailyFor { get; set; } = TimeSpan.FromDays(365);

    /// <summary><c>backup status</c> fails when the newest backup is older than this.</summary>
    public TimeSpan StaleBackupAfter { get; set; } = TimeSpan.FromHours(26);

    /// <summary><c>backup status</c> fails when the newest verified backup is older than this.</summary>
    public TimeSpan StaleVerificationAfter { get; set; } = TimeSpan.FromHours(50);

    /// <summary>
    /// Every backup is scrubbed of an erased user within this time of the erasure; <c>backup status</c> fails when an
    /// erasure older than this is still in a backup.
    /// </summary>
    public TimeSpan ScrubWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The folder holding <c>pg_dump</c> and <c>pg_restore</c>; empty to search PATH and /usr/lib/postgresql/*/bin.</summary>
    public string? PostgresToolsPath { get; set; }

    /// <summary>Where a backup is staged on its way in and out of the blob store; empty for the system's temporary folder.</summary>
    public string? TemporaryPath { get; set; }

    public BackupScheduleOptions Schedule { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeepAllFor <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Backups:KeepAllFor is {KeepAllFor}; it must be longer than zero.", [nameof(KeepAllFor)]);
        }
        if (KeepDailyFor < KeepAllFor)
        {
            yield return new ValidationResult($"Backups:KeepDailyFor ({KeepDailyFor}) cannot be shorter than Backups:KeepAllFor ({KeepAllFor}).", [nameof(KeepDailyFor)]);
        }
        if (StaleBackupAfter <= TimeSpan.Zero || StaleVerificationAfter <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Backups:StaleBackupAfter ({StaleBackupAfter}) and Backups:StaleVerificationAfter ({StaleVerificationAfter}) must be longer than zero.", [nameof(StaleBackupAfter)]);
        }
        if (ScrubWithin <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Backups:ScrubWithin is {ScrubWithin}; it must be longer than zero.", [nameof(ScrubWithin)]);
        }
        if (Schedule.BackupInterval < TimeSpan.FromMinutes(1) || Schedule.VerifyInterval < TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Backups:Schedule:BackupInterval ({Schedule.BackupInterval}) and Backups:Schedule:VerifyInterval ({Schedule.VerifyInterval}) must be at least a minute.", [nameof(Schedule)]);
        }
    }
}

/// <summary>The server's own timer, for the embedded default; a cluster runs the verbs as CronJobs instead.</summary>
public sealed class BackupScheduleOptions
{
    /// <summary>Whether the server backs up, prunes, verifies and scrubs by itself; unset means on for SQLite, off for PostgreSQL.</summary>
    public bool? Enabled { get; set; }

    public TimeSpan BackupInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromDays(1);
}
