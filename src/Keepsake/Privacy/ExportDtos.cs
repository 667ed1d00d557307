using Keepsake.Photos;

namespace Keepsake.Privacy;

/// <summary>The JSON file of an export: everything Keepsake holds about the user besides the files themselves.</summary>
public sealed record ExportAccountDto(Guid Id, string Email, bool IsAdmin, DateTime CreatedAt);

public sealed record ExportAlbumDto(Guid Id, string Name, DateTime CreatedAt, DateTime UpdatedAt, Guid? CoverPhotoId, IReadOnlyList<Guid> PhotoIds);

/// <summary>A share link without its token (only its hash is stored) and without its password hash.</summary>
public sealed record ExportShareLinkDto(Guid Id, Guid AlbumId, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, bool PasswordProtected);

/// <summary>A device key without the key (it was shown once and never stored) and without its hash.</summary>
public sealed record ExportDeviceKeyDto(Guid Id, string Name, string Scope, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>A photo; <see cref="File"/> is its original's path inside the zip (null when the original is missing from storage).</summary>
public sealed record ExportPhotoDto(
    Guid Id,
    string? File,
    string OriginalFileName,
    string Format,
    long SizeBytes,
    string Sha256,
    int Width,
    int Height,
    int Orientation,
    DateTime UploadedAt,
    DateTime? TakenAt,
    int? TakenAtOffsetMinutes,
    string? TakenAtSource,
    CameraDto Camera,
    LocationDto? Location,
    PlaceDto? Place,
    bool Favorite,
    bool Archived,
    DateTime? TrashedAt,
    string? Description);

public sealed record EraseAccountDto(string Password);
