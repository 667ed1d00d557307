using Keepsake.Privacy;

namespace Keepsake.Backups;

/// <summary>A step of a long backup operation: step <see cref="Number"/> of <see cref="Total"/>.</summary>
public sealed record BackupProgress(string Step, int Number, int Total);

/// <summary>What <c>backup prune</c> decided: retention's verdict on every complete backup, and the incomplete ones it let go.</summary>
public sealed record PruneOutcome(IReadOnlyList<RetentionDecision> Decisions, IReadOnlyList<string> Incomplete)
{
    public int Deleted => Decisions.Count(d => !d.Keep) + Incomplete.Count;
}

/// <summary>What <c>backup restore</c> did.</summary>
public sealed record RestoreOutcome(BackupManifest Restored, string? SafetyBackupId, int ErasuresReplayed);

/// <summary>
/// The newest backup and the newest verified one, and whether either is too old; how many backups may still
/// hold an erased user, the oldest such erasure, and whether it has waited longer than <c>Backups:ScrubWithin</c>.
/// </summary>
public sealed record BackupStatus(
    BackupEntry? Newest, BackupEntry? NewestVerified, bool NewestStale, bool VerifiedStale, int AwaitingScrub, ErasureEntry? OldestUnscrubbedErasure, bool ScrubOverdue)
{
    public bool Healthy => !NewestStale && !VerifiedStale && !ScrubOverdue;
}

/// <summary>
/// What <c>backup scrub</c> did to one backup: rewrote it without the erased users and re-verified it
/// (<see cref="Rewritten"/>), found it held none of them (only its manifest changed), or failed.
/// </summary>
public sealed record ScrubOutcome(string BackupId, bool Rewritten, BackupVerification? Verification, string? Failure)
{
    public bool Succeeded => Failure is null && Verification is not { Succeeded: false };
}
