namespace Keepsake.Albums;

public sealed record AlbumDto(Guid Id, string Name, int PhotoCount, Guid? CoverPhotoId, string? CoverThumbnailUrl, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record AlbumNameDto(string Name);

public sealed record AlbumCoverDto(Guid? PhotoId);

public sealed record AlbumPhotosDto(IReadOnlyList<Guid> PhotoIds);
