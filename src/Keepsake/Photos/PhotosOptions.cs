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

    [Range(16, 1024)]
    public int ThumbnailSize { get; set; } = 250;

    [Range(256, 8192)]
    public int PreviewSize { get; set; } = 1440;

}
