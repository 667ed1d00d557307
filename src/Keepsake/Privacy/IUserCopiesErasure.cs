namespace Keepsake.Privacy;

/// <summary>
/// Copies of a user's photos kept outside primary storage (the photo backup target), which an erasure removes at once:
/// owned here so that erasure, which backups replay after a restore, need not know the feature that keeps them.
/// </summary>
public interface IUserCopiesErasure
{
    /// <summary>Writes down every content the user's photos hold; runs before the photo rows go, and again on a re-run.</summary>
    Task RecordHoldingsAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the copies of every content the user holds or held that no other user's photo holds, and returns how many
    /// copies went. Runs after the user's photo rows are gone, finding what they held in what was written down; running it
    /// again finishes it.
    /// </summary>
    Task<int> EraseCopiesAsync(Guid userId, CancellationToken cancellationToken);
}
