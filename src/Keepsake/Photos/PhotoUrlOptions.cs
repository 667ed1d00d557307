using System.ComponentModel.DataAnnotations;

namespace Keepsake.Photos;

/// <summary>The signed URLs of thumbnails and previews (<see cref="SignedPhotoUrls"/>).</summary>
public sealed class PhotoUrlOptions
{
    public const string Section = "PhotoUrls";

    /// <summary>
    /// The longest a signed URL serves after it was handed out: a revoked share link, or a photo taken out of a
    /// shared album, stops serving within this time. A URL is the same for half of it, so a browser's cache is reused.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);
}
