using System.Globalization;
using System.Xml.Linq;
using Keepsake.Photos;

namespace Keepsake.WebDav;

/// <summary>
/// The live properties of RFC 4918 section 15 that clients read, as the tree knows them. A collection has no length, type
/// or ETag, and a folder made of dates has no dates of its own: asked by name, such a property is 404 in its propstat.
/// </summary>
public static class DavProperties
{
    public static readonly XNamespace Dav = "DAV:";

    public static readonly XName DisplayName = Dav + "displayname";
    public static readonly XName ResourceType = Dav + "resourcetype";
    public static readonly XName ContentLength = Dav + "getcontentlength";
    public static readonly XName ContentType = Dav + "getcontenttype";
    public static readonly XName LastModified = Dav + "getlastmodified";
    public static readonly XName CreationDate = Dav + "creationdate";
    public static readonly XName ETag = Dav + "getetag";

    /// <summary>Every property this server has, in the order <c>allprop</c> answers them.</summary>
    public static readonly IReadOnlyList<XName> All = [DisplayName, ResourceType, ContentLength, ContentType, LastModified, CreationDate, ETag];

    /// <summary>The property's value on the resource, or null when the resource has none.</summary>
    public static XElement? Of(DavResource resource, XName name, string ownerName)
    {
        var photo = resource.Photo;
        var album = resource.Kind == DavKind.Album ? resource.Album : null;
        object? value = name switch
        {
            _ when name == DisplayName => resource.Kind == DavKind.Root ? ownerName : resource.Name,
            _ when name == ResourceType => resource.IsCollection ? new XElement(Dav + "collection") : "",
            _ when name == ContentLength => photo?.SizeBytes.ToString(CultureInfo.InvariantCulture),
            _ when name == ContentType => photo is null ? null : PhotoFiles.ContentType(photo),
            _ when name == LastModified => (photo?.UploadedAt ?? album?.UpdatedAt)?.ToString("R", CultureInfo.InvariantCulture),
            _ when name == CreationDate => (photo?.UploadedAt ?? album?.CreatedAt)?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            _ when name == ETag => photo is null ? null : PhotoFiles.EntityTag(photo, "original").ToString(),
            _ => null,
        };
        return value is null ? null : new XElement(name, value);
    }
}
