namespace Keepsake.Albums;

public sealed class Album
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public required string Name { get; set; }

    /// <summary>The photo shown for the album; when null the newest photo in it is used.</summary>
    public Guid? CoverPhotoId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<AlbumPhoto> Photos { get; set; } = [];
}

/// <summary>A photo in an album. Albums hold only their owner's photos.</summary>
public sealed class AlbumPhoto
{
    public Guid AlbumId { get; set; }

    public Guid PhotoId { get; set; }

    public DateTime AddedAt { get; set; }
}
