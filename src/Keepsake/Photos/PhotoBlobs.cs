namespace Keepsake.Photos;

/// <summary>Where each file of a photo lives in the blob store. The keys derive from the ids alone.</summary>
public static class PhotoBlobs
{
    public const string OriginalsPrefix = "originals/";
    public const string ThumbnailsPrefix = "thumbnails/";
    public const string PreviewsPrefix = "previews/";

    public static readonly IReadOnlyList<string> Prefixes = [OriginalsPrefix, ThumbnailsPrefix, PreviewsPrefix];

    public static string Original(Guid ownerId, Guid photoId) => $"{OriginalsPrefix}{ownerId:N}/{photoId:N}";

    public static string Thumbnail(Guid ownerId, Guid photoId) => $"{ThumbnailsPrefix}{ownerId:N}/{photoId:N}.webp";

    /// <summary>Beside the thumbnail, under the same prefix, so that everything that removes an owner's thumbnails removes it too.</summary>
    public static string LargeThumbnail(Guid ownerId, Guid photoId) => $"{ThumbnailsPrefix}{ownerId:N}/{photoId:N}.large.webp";

    public static string Preview(Guid ownerId, Guid photoId) => $"{PreviewsPrefix}{ownerId:N}/{photoId:N}.jpg";

    /// <summary>The key of one of a photo's files.</summary>
    public static string Of(Guid ownerId, Guid photoId, PhotoVariant variant) => variant switch
    {
        PhotoVariant.Thumbnail => Thumbnail(ownerId, photoId),
        PhotoVariant.LargeThumbnail => LargeThumbnail(ownerId, photoId),
        PhotoVariant.Preview => Preview(ownerId, photoId),
        _ => Original(ownerId, photoId),
    };

    /// <summary>Every file a photo may have, the large thumbnail whether it has been made or not.</summary>
    public static IReadOnlyList<string> All(Guid ownerId, Guid photoId) =>
        [Original(ownerId, photoId), Thumbnail(ownerId, photoId), LargeThumbnail(ownerId, photoId), Preview(ownerId, photoId)];

    /// <summary>The owner whose folder holds a key (<c>{prefix}{owner}/…</c>), or null for a key outside every owner's folder.</summary>
    public static Guid? OwnerIdOf(string key)
    {
        var prefix = Prefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal));
        var slash = prefix is null ? -1 : key.IndexOf('/', prefix.Length);
        return slash > 0 && Guid.TryParseExact(key[prefix!.Length..slash], "N", out var owner) ? owner : null;
    }

    /// <summary>The photo a key belongs to, or null for a key that is not a photo file.</summary>
    public static Guid? PhotoIdOf(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return Guid.TryParseExact(dot < 0 ? name : name[..dot], "N", out var id) ? id : null;
    }
}
