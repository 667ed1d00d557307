namespace Keepsake.Photos;

/// <summary>A photo format Keepsake accepts, recognised from the file's first bytes.</summary>
public sealed record ImageFormat(string Name, string ContentType, string Extension, string LoaderPrefix)
{
    public static readonly ImageFormat Jpeg = new("jpeg", "image/jpeg", ".jpg", "jpegload");
    public static readonly ImageFormat Png = new("png", "image/png", ".png", "pngload");
    public static readonly ImageFormat Webp = new("webp", "image/webp", ".webp", "webpload");
    public static readonly ImageFormat Tiff = new("tiff", "image/tiff", ".tif", "tiffload");
    public static readonly ImageFormat Gif = new("gif", "image/gif", ".gif", "gifload");
    public static readonly ImageFormat Heic = new("heic", "image/heic", ".heic", "heifload");
    public static readonly ImageFormat Avif = new("avif", "image/avif", ".avif", "heifload");
    public static readonly ImageFormat JpegXl = new("jxl", "image/jxl", ".jxl", "jxlload");
    public static readonly ImageFormat Jpeg2000 = new("jp2", "image/jp2", ".jp2", "jp2kload");

    public static readonly IReadOnlyList<ImageFormat> All = [Jpeg, Png, Webp, Tiff, Gif, Heic, Avif, JpegXl, Jpeg2000];

    /// <summary>How many leading bytes <see cref="Sniff"/> needs at most.</summary>
    public const int SniffLength = 64;

    /// <summary>File name endings that look like photos; anything else is not a photo to an import.</summary>
    public static readonly IReadOnlySet<string> PhotoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".gif", ".heic", ".heif", ".hif", ".avif", ".jxl", ".jp2", ".j2k", ".jpf",
    };

    public static ImageFormat? FromName(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>Other endings in common use for a format, besides its <see cref="Extension"/>.</summary>
    private static readonly Dictionary<string, string[]> OtherExtensions = new(StringComparer.Ordinal)
    {
        ["jpeg"] = [".jpeg", ".jpe"],
        ["tiff"] = [".tiff"],
        ["heic"] = [".heif", ".hif"],
        ["jp2"] = [".j2k", ".jpf"],
    };

    /// <summary>Whether <paramref name="extension"/> (with its dot) is a usual ending of this format.</summary>
    public bool HasExtension(string extension) =>
        string.Equals(extension, Extension, StringComparison.OrdinalIgnoreCase)
        || (OtherExtensions.TryGetValue(Name, out var others) && others.Contains(extension, StringComparer.OrdinalIgnoreCase));

    /// <summary>Recognises the format from magic bytes; the file name and declared content type are never trusted.</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8))
        {
            return Tiff;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A]))
        {
            return JpegXl;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A]))
        {
            return Jpeg2000;
        }
        return SniffIsoMedia(head);
    }

    /// <summary>HEIF and AVIF are ISO media files: an <c>ftyp</c> box naming brands.</summary>
    private static ImageFormat? SniffIsoMedia(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head[4..8].SequenceEqual("ftyp"u8))
        {
            return null;
        }
        var boxSize = (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
        var end = Math.Min(boxSize, head.Length);
        var brands = new List<string>();
        for (var offset = 8; offset + 4 <= end; offset += 4)
        {
            if (offset == 12)
            {
                continue; // the minor version, not a brand
            }
            brands.Add(System.Text.Encoding.ASCII.GetString(head.Slice(offset, 4)));
        }
        if (brands.Any(b => b is "avif" or "avis"))
        {
            return Avif;
        }
        if (brands.Any(b => b is "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1"))
        {
            return Heic;
        }
        return null;
    }
}
