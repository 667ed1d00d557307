using Keepsake.Observability;

namespace Keepsake.Photos;

/// <summary>
/// Why a file was not stored: an HTTP status and a sentence a person understands; <paramref name="Reason"/> names
/// the kind for the upload-failures metric when the status alone does not.
/// </summary>
public sealed record Rejection(int Status, string Title, string Detail, string? Reason = null)
{
    public static Rejection NotAnImage(string fileName) => new(
        StatusCodes.Status415UnsupportedMediaType,
        "Not a supported photo",
        $"'{fileName}' is not a photo Keepsake can store. Supported formats: JPEG, PNG, WebP, TIFF, GIF, AVIF, HEIC/HEIF, JPEG XL and JPEG 2000.");

    public static Rejection Corrupt(string fileName, string format) => new(
        StatusCodes.Status422UnprocessableEntity,
        "Damaged photo",
        $"'{fileName}' looks like a {format.ToUpperInvariant()} file but is truncated or corrupt, so it cannot be read.");

    /// <summary>The owner was erased or disabled while the files were on their way: refused as an ended session is.</summary>
    public static Rejection OwnerGone { get; } = new(
        StatusCodes.Status401Unauthorized,
        "Account no longer active",
        "The account these photos were for was erased or disabled while they were being stored. Nothing was stored.",
        UploadFailureReason.OwnerGone);
}
