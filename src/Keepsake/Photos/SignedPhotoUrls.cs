using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keepsake.Secrets;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

/// <summary>
/// Who a signed URL was handed to: a signed-in user (for their own photos) or the visitors of one share link, who
/// see the photos without their place unless the link includes it.
/// </summary>
public readonly record struct PhotoViewer(string Name, bool HidePlace)
{
    public static PhotoViewer User(Guid userId) => new($"user-{userId:N}", HidePlace: false);

    public static PhotoViewer ShareLink(Guid linkId, bool includeLocation) => new($"share-{linkId:N}", HidePlace: !includeLocation);
}

public enum SignedUrlCheck
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>
/// Thumbnail and preview URLs that carry their own permission: the photo's owner, id and content, the viewer they were
/// handed to and an expiry, signed with an HMAC. Serving one needs no session and no database: whoever answered the
/// timeline, an album or a share link has checked the rights already, and the URL proves it. The key is derived from
/// the key-encryption key (never stored, the same on every replica), so a URL signed by one replica is good on all.
/// Expiries are rounded up to steps of half the lifetime: a URL stays the same for a while and the browser's cache
/// answers for it, yet none serves longer than the lifetime after it was handed out.
/// </summary>
public sealed class SignedPhotoUrls(KeyEncryptionKey keyEncryptionKey, IOptions<PhotoUrlOptions> options, TimeProvider time)
{
    public const string RoutePrefix = "/api/files";
    private const int SignatureBytes = 16;
    private static readonly byte[] KeyPurpose = "keepsake signed photo file urls v1"u8.ToArray();

    private readonly Lazy<byte[]> _key = new(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, keyEncryptionKey.Value, 32, salt: [], info: KeyPurpose));
    private readonly long _step = Math.Max(1, (long)options.Value.Lifetime.TotalSeconds / 2);
    private readonly long _lifetime = (long)options.Value.Lifetime.TotalSeconds;

    /// <summary>The first 32 hex digits of the original's SHA-256: it names the content, so the URL and the ETag change with it.</summary>
    public static string ContentOf(string sha256) => sha256[..32];

    /// <summary>The signed URL of <paramref name="photo"/>'s thumbnail or preview for <paramref name="viewer"/>.</summary>
    public string For(Photo photo, PhotoVariant variant, PhotoViewer viewer) => For(photo.OwnerId, photo.Id, photo.Sha256, variant, viewer);

    /// <summary>The signed URL of a photo's thumbnail or preview, from the photo's owner, id and SHA-256.</summary>
    public string For(Guid ownerId, Guid photoId, string sha256, PhotoVariant variant, PhotoViewer viewer)
    {
        var expires = (time.GetUtcNow().ToUnixTimeSeconds() / _step + 2) * _step;
        var file = new SignedFile(ownerId, photoId, variant, ContentOf(sha256));
        var signature = Base64Url.EncodeToString(Sign(file, viewer, expires));
        var place = viewer.HidePlace ? "&place=hidden" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{RoutePrefix}/{file.OwnerId:N}/{file.PhotoId:N}/{Name(variant)}/{file.Content}?viewer={viewer.Name}{place}&expires={expires}&sig={signature}");
    }

    /// <summary>Whether a URL's signature holds for what it names and has not expired.</summary>
    public SignedUrlCheck Check(SignedFile file, PhotoViewer viewer, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || signature is not { Length: 22 })
        {
            return SignedUrlCheck.Invalid;
        }
        Span<byte> given = stackalloc byte[SignatureBytes];
        if (!Base64Url.IsValid(signature) || !Base64Url.TryDecodeFromChars(signature, given, out var written) || written != SignatureBytes
            || !CryptographicOperations.FixedTimeEquals(given, Sign(file, viewer, expiresAt)))
        {
            return SignedUrlCheck.Invalid;
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        // Past its expiry, or further out than this server hands out (a lifetime shortened since): over.
        return now >= expiresAt || expiresAt > now + _lifetime ? SignedUrlCheck.Expired : SignedUrlCheck.Valid;
    }

    public static string Name(PhotoVariant variant) => variant == PhotoVariant.Thumbnail ? "thumbnail" : "preview";

    private byte[] Sign(SignedFile file, PhotoViewer viewer, long expires)
    {
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{Name(file.Variant)}/{file.OwnerId:N}/{file.PhotoId:N}/{file.Content}/{viewer.Name}/{(viewer.HidePlace ? "hidden" : "shown")}/{expires}");
        return HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(message))[..SignatureBytes];
    }
}

/// <summary>The file a signed URL names: whose, which photo, which variant, and the content it had.</summary>
public readonly record struct SignedFile(Guid OwnerId, Guid PhotoId, PhotoVariant Variant, string Content);
