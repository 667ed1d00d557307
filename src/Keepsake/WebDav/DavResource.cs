using Keepsake.Albums;
using Keepsake.Photos;

namespace Keepsake.WebDav;

/// <summary>What a place in the WebDAV tree is.</summary>
public enum DavKind
{
    /// <summary><c>/dav/{email}/</c>: holds <c>Photos/</c> and <c>Albums/</c>.</summary>
    Root,

    /// <summary><c>Photos/</c>: the library by year.</summary>
    Library,

    /// <summary><c>Photos/2024/</c>.</summary>
    Year,

    /// <summary><c>Photos/2024/07/</c>: the photos taken that month.</summary>
    Month,

    /// <summary><c>Albums/</c>: one folder per album.</summary>
    Albums,

    /// <summary><c>Albums/Holiday/</c>: the album's photos.</summary>
    Album,

    /// <summary>A photo's original, in a month or an album folder.</summary>
    Photo,
}

/// <summary>
/// One resource of a user's WebDAV tree. <see cref="Segments"/> is its path under <c>/dav/{email}/</c>; a photo's
/// <see cref="Album"/> is set when it was reached through an album folder.
/// </summary>
public sealed record DavResource(DavKind Kind, IReadOnlyList<string> Segments, Photo? Photo = null, Album? Album = null)
{
    public static readonly DavResource Root = new(DavKind.Root, []);

    public bool IsCollection => Kind != DavKind.Photo;

    public string Name => Segments.Count == 0 ? "" : Segments[^1];

    public DavResource Child(DavKind kind, string name, Photo? photo = null, Album? album = null) =>
        new(kind, [.. Segments, name], photo, album ?? Album);
}
