using System.ComponentModel.DataAnnotations;

namespace Keepsake.Photos;

public sealed class PhotosOptions : IValidatableObject
{
    public const string Section = "Photos";

    /// <summary>Largest file accepted, in bytes (default 200 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 200L * 1000 * 1000;

    /// <summary>
    /// Largest upload request, in bytes, all its photos together (default 1 GB: five photos at the per-photo limit,
    /// hundreds of phone photos). Two such requests at once still fit a Kubernetes pod's 2 GiB temporary folder,
    /// and the free-space margin refuses a third before it fills the disk.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 1000L * 1000 * 1000;

    /// <summary>Most parts in one upload request (default 100; the web app sends a few at a time).</summary>
    [Range(1, 10_000)]
    public int MaxFilesPerRequest { get; set; } = 100;

    /// <summary>
    /// Uploads are refused (507) while the staging folder or the data folder has less free space than this, in
    /// bytes (default 300 MB), so an upload never fills the disk the database and the other requests need. 0 turns the check off.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinimumFreeBytes { get; set; } = 300L * 1000 * 1000;

    /// <summary>
    /// The folder under which uploads and imports are staged while they are checked (default: the temporary folder,
    /// <c>TMPDIR</c>). Set it when the temporary folder is small, shared or not writable by Keepsake's user.
    /// </summary>
    public string? StagingPath { get; set; }

    /// <summary>Most pixels accepted (width × height of the first frame, the only one decoded), checked from the header before decoding.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>Most memory one photo may need when its decoder takes it whole (interlaced PNG, progressive JPEG, GIF, WebP, HEIF/AVIF, JPEG XL, JPEG 2000), estimated from the header (default 512 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDecodeBytes { get; set; } = 512L * 1000 * 1000;

    /// <summary>Longest a photo may take to decode; a file that takes longer is refused (422), so one file cannot hold a decoder for minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan MaxDecodeTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Most photos decoded at once, by an import and by uploads together (0, the default, chooses: one per core, and no
    /// more than a quarter of the memory the process may use holds at <see cref="MaxDecodeBytes"/> each). One libvips
    /// decode keeps a core busy only part of the time (the JPEG decoder itself is single-threaded), so two at once
    /// use both cores of a small server; more than the cores only add memory.
    /// </summary>
    [Range(0, 64)]
    public int DecodeParallelism { get; set; }

    /// <summary>What <see cref="DecodeParallelism"/> comes to on this machine.</summary>
    public int EffectiveDecodeParallelism(long availableMemoryBytes, int processorCount)
    {
        if (DecodeParallelism > 0)
        {
            return DecodeParallelism;
        }
        var byMemory = availableMemoryBytes / 4 / Math.Max(1, MaxDecodeBytes);
        return (int)Math.Clamp(Math.Min(processorCount, byMemory), 1, 64);
    }

    /// <summary><see cref="EffectiveDecodeParallelism(long, int)"/> for this process: its memory limit (a container's too) and its cores.</summary>
    public int EffectiveDecodeParallelism() =>
        EffectiveDecodeParallelism(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, Environment.ProcessorCount);

    [Range(16, 1024)]
    public int ThumbnailSize { get; set; } = 250;

    /// <summary>
    /// The height of the large thumbnail, which grids show on 2× screens: the web app's justified rows are 160 CSS pixels
    /// high, up to a quarter more when a row is stretched to the width, so 200 at 2× density. Its width is at most four
    /// times this, for panoramas.
    /// </summary>
    [Range(32, 2048)]
    public int LargeThumbnailHeight { get; set; } = 400;

    [Range(256, 8192)]
    public int PreviewSize { get; set; } = 1440;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRequestBytes < MaxUploadBytes)
        {
            yield return new ValidationResult(
                $"Photos:MaxRequestBytes ({MaxRequestBytes}) must be at least Photos:MaxUploadBytes ({MaxUploadBytes}), or a photo under the per-photo limit could never be uploaded.",
                [nameof(MaxRequestBytes)]);
        }
    }
}
