namespace Keepsake.Sharing;

/// <summary>An anonymous link to one album. Only the token's SHA-256 is stored, never the token.</summary>
public sealed class ShareLink
{
    public Guid Id { get; set; }

    public Guid AlbumId { get; set; }

    public required byte[] TokenHash { get; set; }

    /// <summary>An ASP.NET Core Identity password hash, or null when the link needs no password.</summary>
    public string? PasswordHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Whether visitors see where the photos were taken and with which camera, and get originals with their
    /// GPS and serial numbers; off unless the owner chose it.</summary>
    public bool IncludeLocation { get; set; }
}
