namespace Keepsake.Sharing;

/// <summary>A new link; <paramref name="IncludeLocation"/> shows visitors the place, the camera and the originals' GPS.</summary>
public sealed record CreateShareDto(DateTime? ExpiresAt, string? Password, bool IncludeLocation = false);

/// <summary>The only time the token is shown: Keepsake keeps just its hash.</summary>
public sealed record CreatedShareDto(Guid Id, string Token, string Url, DateTime? ExpiresAt, bool HasPassword, DateTime CreatedAt, bool IncludeLocation);

public sealed record ShareDto(Guid Id, DateTime? ExpiresAt, bool HasPassword, DateTime CreatedAt, DateTime? RevokedAt, bool Active, bool IncludeLocation);

public sealed record SharePasswordDto(string Password);

public sealed record SharedAlbumDto(string Name, int PhotoCount, Guid? CoverPhotoId);
