using Keepsake.Backups;
using Keepsake.Photos;
using Keepsake.Storage;

namespace Keepsake.Integrity;

/// <summary>What a repair did about a missing file.</summary>
public enum MissingFileRepair
{
    /// <summary>Nothing: a check only, or a preview or thumbnail whose original is gone too.</summary>
    None,

    /// <summary>An original: its photo is marked missing (by this repair or an earlier one).</summary>
    PhotoMarkedMissing,

    /// <summary>A preview or thumbnail, made again from the original.</summary>
    Remade,

    /// <summary>A preview or thumbnail whose original could not be decoded again (<see cref="MissingFile.Detail"/> says why).</summary>
    NotRemade,
}

/// <summary>A file a photo row needs that the blob store does not have, and what the repair did about it.</summary>
public sealed record MissingFile(Guid PhotoId, Guid OwnerId, string Key, PhotoVariant Variant, MissingFileRepair Repair = MissingFileRepair.None, string? Detail = null);

/// <summary>A photo marked missing after the run: its original is gone. <see cref="MarkedNow"/> when this run marked it.</summary>
public sealed record MissingPhoto(Guid PhotoId, DateTime Since, bool MarkedNow);

/// <summary>A file no photo references in the folder of a user the erasure ledger names: removed by a repair whatever its age.</summary>
public sealed record ErasureLeftover(BlobInfo File, Guid OwnerId);

/// <summary>A file no photo references, written between a backup and its restore: the restore's safety backup may hold its photo.</summary>
public sealed record HeldFile(BlobInfo File, RestoreRecord Restore);

/// <summary>
/// What fsck found, by category, and what its repair did. Missing files, orphans, erasure leftovers and photos marked
/// missing whose original is back are problems until repaired; a photo marked missing stays one (its original is still
/// gone) until its owner deletes it or the original is put back. Recent and held files are not problems: they are left
/// alone on purpose.
/// </summary>
public sealed record FsckReport(
    bool Repaired,
    string DatabaseIntegrity,
    int PhotosChecked,
    int PhotosInTrash,
    int FilesChecked,
    IReadOnlyList<MissingFile> MissingFiles,
    IReadOnlyList<MissingPhoto> MarkedMissing,
    IReadOnlyList<Guid> FoundAgain,
    IReadOnlyList<BlobInfo> OrphanFiles,
    IReadOnlyList<ErasureLeftover> ErasureLeftovers,
    IReadOnlyList<HeldFile> HeldFiles,
    IReadOnlyList<BlobInfo> RecentUnreferencedFiles,
    IReadOnlySet<string> Removed)
{
    public bool DatabaseOk => DatabaseIntegrity == "ok";

    /// <summary>Files still missing after the run: everything but the previews and thumbnails it remade.</summary>
    public int MissingLeft => MissingFiles.Count(m => m.Repair != MissingFileRepair.Remade);

    public int OrphansLeft => OrphanFiles.Count(o => !Removed.Contains(o.Key));

    public int ErasureLeftoversLeft => ErasureLeftovers.Count(l => !Removed.Contains(l.File.Key));

    /// <summary>Photos marked missing whose original is back, until a repair clears their mark.</summary>
    public int StaleMarksLeft => Repaired ? 0 : FoundAgain.Count;

    public bool IsClean => DatabaseOk && MissingLeft == 0 && OrphansLeft == 0 && ErasureLeftoversLeft == 0 && StaleMarksLeft == 0;
}
