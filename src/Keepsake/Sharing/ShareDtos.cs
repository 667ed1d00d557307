namespace Keepsake.Sharing;

public sealed record CreateShareDto(DateTime? ExpiresAt, string? Password);

/// <summary>The only time the token is shown: Keepsake keeps just its hash.</summary>
public sealed record CreatedShareDto(Guid Id, string Token, string Url, DateTime? ExpiresAt, bool HasPassword, DateTime CreatedAt);

public sealed record ShareDto(Guid Id, DateTime? ExpiresAt, bool HasPassword, DateTime CreatedAt, DateTime? RevokedAt, bool Active);

public sealed record SharePasswordDto(string Password);

public sealed record SharedAlbumDto(string Name, int PhotoCount, Guid? CoverPhotoId);
