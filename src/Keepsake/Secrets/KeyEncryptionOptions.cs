using System.ComponentModel.DataAnnotations;

namespace Keepsake.Secrets;

/// <summary>
/// The key-encryption key that seals the data-protection keys (which sign session cookies) before they are
/// stored in the database, so a database backup alone cannot forge a session. It is never in the database.
/// </summary>
public sealed class KeyEncryptionOptions : IValidatableObject
{
    public const string Section = "DataProtection";

    public const int KeyBytes = 32;

    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), e.g. from a Kubernetes Secret. Required on PostgreSQL.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Where the embedded default keeps the key when <see cref="KeyEncryptionKey"/> is not set: created on first
    /// start (0600). Empty means <c>keepsake.kek</c> beside the SQLite database file.</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(KeyEncryptionKey) && DecodeKey(KeyEncryptionKey) is null)
        {
            yield return new ValidationResult(
                // A secret: the message says what is wrong with it, never what it is.
                $"DataProtection:KeyEncryptionKey must be the base64 of {KeyBytes} random bytes (make one with 'openssl rand -base64 32').",
                [nameof(KeyEncryptionKey)]);
        }
    }

    internal static byte[]? DecodeKey(string text)
    {
        var bytes = new byte[KeyBytes + 1];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written == KeyBytes ? bytes[..KeyBytes] : null;
    }
}
