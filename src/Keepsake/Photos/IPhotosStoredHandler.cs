namespace Keepsake.Photos;

/// <summary>Told about new photos once their rows are committed (e.g. to queue their weather). It must not throw for the upload's sake.</summary>
public interface IPhotosStoredHandler
{
    Task PhotosStoredAsync(IReadOnlyList<Photo> photos, CancellationToken cancellationToken);
}
