namespace Keepsake.Photos;

/// <summary>
/// Told in the transaction that deletes a photo, before its row goes: a feature whose rows point at the photo changes
/// them first, so the delete locks that feature's rows before the photo, in the order the feature's own changes do.
/// </summary>
public interface IPhotoDeletingHandler
{
    Task PhotoDeletingAsync(Guid ownerId, Guid photoId, CancellationToken cancellationToken);
}
