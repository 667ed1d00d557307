using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
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
public sealed class SignedPhotoUrls(KeyEncryptionKey keyEncryptionKey, IOptions<PhotoUrlOptions> options, IOptions<PhotosOptions> photos, TimeProvider time) : IDisposable
{
    public const string RoutePrefix = "/api/files";
    private const int SignatureBytes = 16;
    private static readonly byte[] KeyPurpose = "keepsake signed photo file urls v1"u8.ToArray();

    private readonly Lazy<byte[]> _key = new(() => HKDF.DeriveKey(HashAlgorithmName.SHA256, keyEncryptionKey.Value, 32, salt: [], info: KeyPurpose));

    /// <summary>
    /// One keyed HMAC per thread, reset after each signature: a page of the timeline signs a hundred URLs, and setting up
    /// a fresh HMAC for each (what the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/> does) was a seventh
    /// of the page's CPU.
    /// </summary>
    private readonly ThreadLocal<IncrementalHash> _hmac = new(trackAllValues: true);

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
        Span<byte> signed = stackalloc byte[SignatureBytes];
        Sign(file, viewer, expires, signed);
        var signature = Base64Url.EncodeToString(signed);
        var place = viewer.HidePlace ? "&place=hidden" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{RoutePrefix}/{file.OwnerId:N}/{file.PhotoId:N}/{PhotoFiles.Name(variant)}/{file.Content}?viewer={viewer.Name}{place}&expires={expires}&sig={signature}");
    }

    /// <summary>
    /// The thumbnails a grid can choose from for <paramref name="photo"/>, smallest first, each with its size, so a browser
    /// picks by the tile's size and the screen's density (<c>srcset</c>): the thumbnail, and the large one once it is made.
    /// </summary>
    public IReadOnlyList<ThumbnailDto> Thumbnails(Photo photo, PhotoViewer viewer)
    {
        var sizes = photos.Value;
        var small = ThumbnailDto.Fitted(For(photo, PhotoVariant.Thumbnail, viewer), photo, sizes.ThumbnailSize, sizes.ThumbnailSize);
        if (!photo.HasLargeThumbnail)
        {
            return [small];
        }
        // Made from the preview's pixels, so never larger than the preview either.
        var large = ThumbnailDto.Fitted(For(photo, PhotoVariant.LargeThumbnail, viewer), photo,
            Math.Min(ImageProcessor.LargeThumbnailMaxWidthRatio * sizes.LargeThumbnailHeight, sizes.PreviewSize), Math.Min(sizes.LargeThumbnailHeight, sizes.PreviewSize));
        return [small, large];
    }

    /// <summary>Whether a URL's signature holds for what it names and has not expired.</summary>
    public SignedUrlCheck Check(SignedFile file, PhotoViewer viewer, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || signature is not { Length: 22 })
        {
            return SignedUrlCheck.Invalid;
        }
        Span<byte> given = stackalloc byte[SignatureBytes];
        Span<byte> expected = stackalloc byte[SignatureBytes];
        Sign(file, viewer, expiresAt, expected);
        if (!Base64Url.IsValid(signature) || !Base64Url.TryDecodeFromChars(signature, given, out var written) || written != SignatureBytes
            || !CryptographicOperations.FixedTimeEquals(given, expected))
        {
            return SignedUrlCheck.Invalid;
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        // Past its expiry, or further out than this server hands out (a lifetime shortened since): over.
        return now >= expiresAt || expiresAt > now + _lifetime ? SignedUrlCheck.Expired : SignedUrlCheck.Valid;
    }

    private void Sign(SignedFile file, PhotoViewer viewer, long expires, Span<byte> signature)
    {
        // The fixed parts take under 160 bytes; the viewer and the content come from the URL when checking, so any length.
        var longest = 160 + Encoding.UTF8.GetMaxByteCount(viewer.Name.Length + file.Content.Length);
        Span<byte> message = longest <= 1024 ? stackalloc byte[longest] : new byte[longest];
        if (!Utf8.TryWrite(message, CultureInfo.InvariantCulture,
            $"{PhotoFiles.Name(file.Variant)}/{file.OwnerId:N}/{file.PhotoId:N}/{file.Content}/{viewer.Name}/{(viewer.HidePlace ? "hidden" : "shown")}/{expires}",
            out var length))
        {
            throw new UnreachableException("the message buffer is sized for the longest message");
        }
        var hmac = _hmac.Value ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key.Value);
        hmac.AppendData(message[..length]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        hmac.GetHashAndReset(hash);
        hash[..SignatureBytes].CopyTo(signature);
    }

    public void Dispose()
    {
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }
        _hmac.Dispose();
    }
}

/// <summary>The file a signed URL names: whose, which photo, which variant, and the content it had.</summary>
public readonly record struct SignedFile(Guid OwnerId, Guid PhotoId, PhotoVariant Variant, string Content);
