using System.ComponentModel.DataAnnotations;

namespace Keepsake.Uploads;

/// <summary>Resumable (tus) uploads: how long an unfinished one is kept, and how its bytes are cut into parts.</summary>
public sealed class UploadsOptions
{
    public const string Section = "Uploads";

    /// <summary>How long an unfinished upload is kept after it was created or last received bytes (24 hours).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The largest part, in bytes (8 MB): a long <c>PATCH</c> is stored a part at a time, so a server stopped in the
    /// middle of one keeps all but the last part and the client resumes from there.
    /// </summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long PartBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>How often the server removes expired uploads and their parts (every 15 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);
}
