using System.Globalization;
using Keepsake.Photos;

namespace Keepsake.Uploads;

/// <summary>What a client says about the file it uploads, from <c>Upload-Metadata</c>: its name, and optionally its SHA-256 and when it was taken.</summary>
public sealed record UploadDescription(string FileName, string? Sha256, DateTime? TakenAt)
{
    /// <summary>The description, or null and what is wrong with the header. Keys other than these three are ignored, as tus clients add their own.</summary>
    public static UploadDescription? Parse(string? header, out string? problem)
    {
        if (TusHeaders.ParseMetadata(header, out problem) is not { } metadata)
        {
            return null;
        }
        if (!metadata.TryGetValue("filename", out var fileName) || string.IsNullOrWhiteSpace(fileName))
        {
            problem = "'Upload-Metadata' must name the file: the key 'filename' with the file's name in base64.";
            return null;
        }
        string? sha256 = null;
        if (metadata.TryGetValue("sha256", out var hash))
        {
            if (!PhotoExistenceApi.IsSha256(hash))
            {
                problem = $"'sha256' in 'Upload-Metadata' must be the file's SHA-256 as 64 hexadecimal digits; '{hash}' is not.";
                return null;
            }
            sha256 = hash.ToLowerInvariant();
        }
        DateTime? takenAt = null;
        if (metadata.TryGetValue("takenAt", out var taken))
        {
            if (!DateTimeOffset.TryParse(taken, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                problem = $"'takenAt' in 'Upload-Metadata' must be a date and time in ISO 8601, such as 2024-07-14T09:30:00+02:00; '{taken}' is not.";
                return null;
            }
            takenAt = at.UtcDateTime;
        }
        return new UploadDescription(PhotoIngestor.SafeFileName(fileName), sha256, takenAt);
    }
}
