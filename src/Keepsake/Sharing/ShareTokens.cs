using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Keepsake.Sharing;

/// <summary>Share tokens: 256 random bits, URL-safe; stored only as their SHA-256.</summary>
public static class ShareTokens
{
    private const int TokenBytes = 32;

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Only strings that could be a token are looked up at all.</summary>
    public static bool IsWellFormed(string token) =>
        token.Length == Base64Url.GetEncodedLength(TokenBytes) && Base64Url.IsValid(token);
}
