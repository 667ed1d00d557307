namespace Keepsake.Accounts.DeviceKeys;

/// <summary>What a device key may do; see <see cref="DeviceKeyScopeHandler"/> for the rules.</summary>
public enum DeviceKeyScope
{
    /// <summary>Everything the user may do with a session, except managing keys, the password and erasing the account, and admin tasks.</summary>
    Full,

    /// <summary>Only the endpoints marked with <see cref="DeviceKeyEndpoints.AllowUploadKeys{TBuilder}"/>: uploading and checking what exists.</summary>
    Upload,

    /// <summary>Only safe methods (GET, HEAD) on what a full key may use.</summary>
    Read,
}

/// <summary>
/// A key a device (a phone, a script) sends as <c>Authorization: Bearer</c> instead of a session cookie. Only the SHA-256
/// of the key is kept: the key is 256 random bits, so a fast hash is as strong as a slow one and costs nothing per request.
/// </summary>
public sealed class DeviceKey
{
    public const int MaxNameLength = 100;

    /// <summary>Part of the key itself, so a request finds its row by primary key.</summary>
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public required string Name { get; set; }

    public DeviceKeyScope Scope { get; set; }

    /// <summary>SHA-256 of the whole key as the device sends it.</summary>
    public required byte[] SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When a request last used the key, to within <see cref="DeviceKeyVerifier.LastUsedPrecision"/>.</summary>
    public DateTime? LastUsedAt { get; set; }
}
