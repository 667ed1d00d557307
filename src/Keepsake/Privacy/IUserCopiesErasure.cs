namespace Keepsake.Privacy;

/// <summary>
/// Copies of a user's photos kept outside primary storage (the photo backup target), which an erasure removes at once:
/// owned here so that erasure, which backups replay after a restore, need not know the feature that keeps them.
/// </summary>
public interface IUserCopiesErasure
{
    /// <summary>
    /// Removes the copies of every content the user holds or held that no other user's photo holds, and returns how many
    /// copies went. Runs before the user's photo rows go, which tell it what the user held; running it again finishes it.
    /// </summary>
    Task<int> EraseCopiesAsync(Guid userId, CancellationToken cancellationToken);
}
