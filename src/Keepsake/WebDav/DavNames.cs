using System.Globalization;
using Keepsake.Albums;
using Keepsake.Photos;

namespace Keepsake.WebDav;

/// <summary>
/// The names the tree shows: top folders, years and months as digits, photos by their original file name and albums by
/// their name, each made unique in its folder (a second <c>IMG_0001.jpg</c> of a month is <c>IMG_0001 (2).jpg</c>, in
/// upload order, so a name never moves to another photo while both exist).
/// </summary>
public static class DavNames
{
    public const string Photos = "Photos";
    public const string Albums = "Albums";

    public static string Year(int year) => year.ToString("D4", CultureInfo.InvariantCulture);

    public static string Month(int month) => month.ToString("D2", CultureInfo.InvariantCulture);

    public static bool TryParseYear(string name, out int year) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out year) && name.Length == 4 && year >= 1;

    public static bool TryParseMonth(string name, out int month) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out month) && name.Length == 2 && month is >= 1 and <= 12;

    /// <summary>The photos under unique names, in the order they came (oldest upload first).</summary>
    public static List<(string Name, Photo Photo)> OfPhotos(IEnumerable<Photo> photos) =>
        Unique(photos.OrderBy(p => p.UploadedAt).ThenBy(p => p.Id).Select(p => (FileName(p.OriginalFileName), p)));

    /// <summary>The albums under unique folder names, oldest album first.</summary>
    public static List<(string Name, Album Album)> OfAlbums(IEnumerable<Album> albums) =>
        Unique(albums.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(a => (FileName(a.Name), a)));

    /// <summary>A name that is one path segment: a slash in an album's name cannot be a folder boundary.</summary>
    public static string FileName(string name)
    {
        var clean = name.Replace('/', '_').Replace('\\', '_').Trim();
        return clean is "" or "." or ".." ? "_" : clean;
    }

    /// <summary>A path segment as an href writes it: percent-encoded, with <c>@</c> left readable (RFC 3986 allows it).</summary>
    public static string Escape(string segment) => Uri.EscapeDataString(segment).Replace("%40", "@", StringComparison.Ordinal);

    private static List<(string Name, T Item)> Unique<T>(IEnumerable<(string Name, T Item)> items)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var named = new List<(string, T)>();
        foreach (var (name, item) in items)
        {
            var unique = name;
            for (var n = 2; !taken.Add(unique); n++)
            {
                unique = $"{Path.GetFileNameWithoutExtension(name)} ({n}){Path.GetExtension(name)}";
            }
            named.Add((unique, item));
        }
        return named;
    }
}
