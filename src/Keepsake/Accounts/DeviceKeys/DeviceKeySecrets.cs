using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>
/// A key reads <c>ks_</c>, the row's id (32 hex digits), <c>_</c> and 32 random bytes in base64url: the prefix makes it
/// recognisable (to secret scanners too), the id finds the row without a scan, the random part is the secret.
/// </summary>
public static class DeviceKeySecrets
{
    public const string Prefix = "ks_";
    private const int SecretBytes = 32;
    private static readonly int Length = Prefix.Length + 32 + 1 + Base64Url.GetEncodedLength(SecretBytes);

    public static string NewKey(Guid id) => $"{Prefix}{id:N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}";

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether the text has a key's shape, and the id it names.</summary>
    public static bool TryParse(string key, out Guid id)
    {
        id = Guid.Empty;
        return key.Length == Length && key.StartsWith(Prefix, StringComparison.Ordinal) && key[Prefix.Length + 32] == '_'
            && Guid.TryParseExact(key.AsSpan(Prefix.Length, 32), "N", out id)
            && Base64Url.IsValid(key.AsSpan(Prefix.Length + 33));
    }

    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or false when the request has none.</summary>
    public static bool TryReadBearer(HttpRequest request, [NotNullWhen(true)] out string? token)
    {
        token = null;
        var header = request.Headers.Authorization.ToString().Trim();
        // "Bearer" with nothing after it is a bearer request too: refused, never passed on to the cookie.
        if (!header.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        token = header["Bearer".Length..].Trim();
        return true;
    }

    public static bool IsBearer(HttpRequest request) => TryReadBearer(request, out _);
}
