using System.ComponentModel.DataAnnotations;

namespace Keepsake.Photos;

public sealed class PhotosOptions
{
    public const string Section = "Photos";

    /// <summary>Largest file accepted, in bytes (default 200 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 200L * 1000 * 1000;

    /// <summary>Most pixels accepted (width × height of the first frame, the only one decoded), checked from the header before decoding.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Most memory one photo may need when its decoder takes it whole (interlaced PNG, progressive JPEG, GIF, WebP, HEIF/AVIF, JPEG XL, JPEG 2000), estimated from the header (default 512 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDecodeBytes { get; set; } = 512L * 1000 * 1000;

    /// <summary>Longest a photo may take to decode; a file that takes longer is refused (422), so one file cannot hold a decoder for minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan MaxDecodeTime { get; set; } = TimeSpan.FromMinutes(1);

    [Range(16, 1024)]
    public int ThumbnailSize { get; set; } = 250;

    [Range(256, 8192)]
    public int PreviewSize { get; set; } = 1440;
}
