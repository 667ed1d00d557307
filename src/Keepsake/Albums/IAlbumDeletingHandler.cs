namespace Keepsake.Albums;

/// <summary>
/// Told in the transaction that deletes an album, under the album's lock and before its row goes (with its rows that
/// cascade): a feature with rows under the album reads what it must clean up outside the database, and returns that
/// clean-up, which runs once the delete is committed.
/// </summary>
public interface IAlbumDeletingHandler
{
    Task<Func<CancellationToken, Task>> AlbumDeletingAsync(Guid albumId, CancellationToken cancellationToken);
}
