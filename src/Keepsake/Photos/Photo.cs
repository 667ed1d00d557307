namespace Keepsake.Photos;

public sealed class Photo
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>The name the file had when it was uploaded or imported, without any folder.</summary>
    public required string OriginalFileName { get; set; }

    /// <summary>The format sniffed from the bytes, e.g. <c>jpeg</c> or <c>heic</c>.</summary>
    public required string Format { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>SHA-256 of the original, lowercase hex; one user never stores the same bytes twice.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Width as displayed, after EXIF orientation.</summary>
    public int Width { get; set; }

    /// <summary>Height as displayed, after EXIF orientation.</summary>
    public int Height { get; set; }

    /// <summary>EXIF orientation 1–8 (invalid values read as 1).</summary>
    public int Orientation { get; set; } = 1;

    public DateTime UploadedAt { get; set; }

    /// <summary>Wall-clock time the photo was taken (stored with UTC kind, but it is local to the camera).</summary>
    public DateTime? TakenAt { get; set; }

    /// <summary>The UTC offset of <see cref="TakenAt"/> in minutes, when known.</summary>
    public int? TakenAtOffsetMinutes { get; set; }

    /// <summary>Where <see cref="TakenAt"/> came from (a <see cref="Metadata.DateSource"/>); null for photos stored before it was recorded.</summary>
    public string? TakenAtSource { get; set; }

    /// <summary>The timeline's sort key in UTC: taken-at (shifted by its offset when known), else upload time.</summary>
    public DateTime TimelineAt { get; set; }

    public string? CameraMake { get; set; }

    public string? CameraModel { get; set; }

    public string? Lens { get; set; }

    /// <summary>Exposure time as photographers write it, e.g. <c>1/125</c> or <c>2</c> (seconds).</summary>
    public string? ExposureTime { get; set; }

    public double? FNumber { get; set; }

    public int? Iso { get; set; }

    public double? FocalLengthMm { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    /// <summary>The town or city it was taken in, named offline from its GPS location (see Places/PlaceNames); null without one.</summary>
    public string? PlaceCity { get; set; }

    /// <summary>The region (state, province) of <see cref="PlaceCity"/>, when GeoNames names one.</summary>
    public string? PlaceRegion { get; set; }

    /// <summary>The country of <see cref="PlaceCity"/>, in English.</summary>
    public string? PlaceCountry { get; set; }

    /// <summary>The ISO 3166-1 alpha-2 code of <see cref="PlaceCountry"/>.</summary>
    public string? PlaceCountryCode { get; set; }

    /// <summary>
    /// Whether its place was looked up for its location (at ingest; for photos stored before places, by the back-fill). A
    /// photo with GPS and no place after the lookup was taken far from any town.
    /// </summary>
    public bool PlaceLookedUp { get; set; }

    /// <summary>What its owner wrote about it (at most <see cref="PhotoDescriptionApi.MaxLength"/> characters); null when nothing.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// Whether its large thumbnail (<see cref="PhotoBlobs.LargeThumbnail"/>, for grids on 2× screens) has been made: at
    /// ingest, or for photos stored before there was one by the back-fill. Until then a grid gets the thumbnail alone.
    /// </summary>
    public bool HasLargeThumbnail { get; set; }

    /// <summary>Marked by its owner as a favourite: listed in the Favourites view.</summary>
    public bool IsFavorite { get; set; }

    /// <summary>Put away by its owner: out of the main timeline, still in albums and in the Archive view.</summary>
    public bool IsArchived { get; set; }

    /// <summary>
    /// When its owner deleted it: it is in the trash, out of every view, album and share link, with its files kept until
    /// the trash's retention is over; null for a photo that is not.
    /// </summary>
    public DateTime? TrashedAt { get; set; }

    /// <summary>
    /// When <c>keepsake fsck --repair</c> found the original gone from storage (a restore brings back the rows of photos
    /// deleted since its backup, without their files); null while the original is there. The owner sees a placeholder
    /// and can delete the photo; a repair that finds the original again clears it.
    /// </summary>
    public DateTime? OriginalMissingSince { get; set; }
}
