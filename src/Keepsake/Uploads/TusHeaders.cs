using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keepsake.Uploads;

/// <summary>The tus 1.0.0 headers (https://tus.io/protocols/resumable-upload) and how their values are read.</summary>
public static class TusHeaders
{
    public const string Version = "1.0.0";
    public const string Resumable = "Tus-Resumable";
    public const string SupportedVersions = "Tus-Version";
    public const string Extensions = "Tus-Extension";
    public const string MaxSize = "Tus-Max-Size";
    public const string ChecksumAlgorithms = "Tus-Checksum-Algorithm";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadLength = "Upload-Length";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadExpires = "Upload-Expires";
    public const string UploadChecksum = "Upload-Checksum";

    /// <summary>Keepsake's own: the photo an upload became, on the answer to its last <c>PATCH</c>.</summary>
    public const string UploadPhotoId = "Upload-Photo-Id";

    /// <summary>Keepsake's own, beside <see cref="UploadPhotoId"/>: <c>true</c> when the library already held the photo.</summary>
    public const string UploadPhotoDuplicate = "Upload-Photo-Duplicate";

    public const string OffsetContentType = "application/offset+octet-stream";

    public const string SupportedExtensions = "creation,termination,expiration,checksum";

    /// <summary>The tus status for a checksum that does not match the bytes.</summary>
    public const int ChecksumMismatch = 460;

    public static string Checksums => "sha1,sha256";

    /// <summary>A non-negative whole number, as <c>Upload-Offset</c> and <c>Upload-Length</c> are.</summary>
    public static bool TryParseSize(string? value, out long size) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out size);

    /// <summary>
    /// Reads <c>Upload-Checksum: ALGORITHM BASE64</c>: the hash to compute over the <c>PATCH</c> body and the digest to
    /// compare with; null with a reason when the header cannot be used.
    /// </summary>
    public static (HashAlgorithmName Algorithm, byte[] Digest)? ParseChecksum(string value, out string? problem)
    {
        problem = null;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            problem = $"'{UploadChecksum}' must be an algorithm and a base64 digest separated by a space, such as 'sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0='.";
            return null;
        }
        HashAlgorithmName? algorithm = parts[0].ToLowerInvariant() switch
        {
            "sha1" => HashAlgorithmName.SHA1,
            "sha256" => HashAlgorithmName.SHA256,
            _ => null,
        };
        if (algorithm is null)
        {
            problem = $"'{UploadChecksum}' names the algorithm '{parts[0]}'; this server supports {Checksums}.";
            return null;
        }
        var digest = new byte[64];
        if (!Convert.TryFromBase64String(parts[1], digest, out var written))
        {
            problem = $"The digest in '{UploadChecksum}' is not base64.";
            return null;
        }
        return (algorithm.Value, digest[..written]);
    }

    /// <summary>
    /// Reads <c>Upload-Metadata</c>: comma-separated pairs of a key and its base64 value (the value may be left out).
    /// Null with a reason when a pair cannot be read.
    /// </summary>
    public static Dictionary<string, string>? ParseMetadata(string? header, out string? problem)
    {
        problem = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header))
        {
            return metadata;
        }
        foreach (var pair in header.Split(','))
        {
            var parts = pair.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2)
            {
                problem = $"Each pair in '{UploadMetadata}' must be a key, a space and a base64 value; '{pair.Trim()}' is not.";
                return null;
            }
            var key = parts[0];
            if (metadata.ContainsKey(key))
            {
                problem = $"'{UploadMetadata}' names the key '{key}' twice.";
                return null;
            }
            var value = "";
            if (parts.Length == 2)
            {
                var bytes = new byte[parts[1].Length];
                if (!Convert.TryFromBase64String(parts[1], bytes, out var written))
                {
                    problem = $"The value of '{key}' in '{UploadMetadata}' is not base64.";
                    return null;
                }
                try
                {
                    value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
                }
                catch (DecoderFallbackException)
                {
                    problem = $"The value of '{key}' in '{UploadMetadata}' is not UTF-8 text.";
                    return null;
                }
            }
            metadata[key] = value;
        }
        return metadata;
    }
}
