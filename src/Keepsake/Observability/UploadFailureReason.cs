namespace Keepsake.Observability;

/// <summary>
/// Why an upload failed, as <c>keepsake_upload_failures_total</c> counts it (label <c>error_type</c>). The upload code
/// names a reason only through these, and <see cref="KeepsakeMetrics.UploadFailureReasons"/> lists them all, so every
/// reason an upload can give is a series from the first scrape on.
/// </summary>
public static class UploadFailureReason
{
    public const string TooLarge = "too_large";
    public const string UnsupportedFormat = "unsupported_format";
    public const string Unreadable = "unreadable";
    public const string Malformed = "malformed";
    public const string NoFile = "no_file";
    public const string NotMultipart = "not_multipart";
    public const string OwnerGone = "owner_gone";
}
