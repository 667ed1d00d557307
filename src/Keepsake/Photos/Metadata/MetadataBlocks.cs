using System.Buffers.Binary;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// The metadata blocks of a file, each as found and not yet parsed: <see cref="Exif"/> (a TIFF structure), an
/// <see cref="Xmp"/> packet and an <see cref="Iptc"/> record set (JPEG only). Any of them may be absent.
/// </summary>
public sealed record MetadataBlocks(byte[]? Exif, byte[]? Xmp = null, byte[]? Iptc = null)
{
    public static readonly MetadataBlocks None = new((byte[]?)null);

    /// <summary>A JPEG's EXIF fits in one 64 KB segment; other formats have no reason to hold more than a few times that.</summary>
    public const int MaxBlockBytes = 1 << 20;

    /// <summary>Real files have a few dozen segments or chunks before their metadata; a walk stops long after that.</summary>
    private const int MaxBlocks = 1 << 16;

    private static readonly byte[] ExifHeader = "Exif\0\0"u8.ToArray();
    private static readonly byte[] XmpHeader = "http://ns.adobe.com/xap/1.0/\0"u8.ToArray();
    private static readonly byte[] PhotoshopHeader = "Photoshop 3.0\0"u8.ToArray();
    private static readonly byte[] PngXmpKeyword = "XML:com.adobe.xmp\0"u8.ToArray();

    /// <summary>
    /// The first EXIF and XMP APP1 segments and the IPTC of the first Photoshop APP13 segment before the image data. The
    /// segments are walked in a loop, everything else skipped unread, no more than <see cref="MaxBlockBytes"/> read at once.
    /// </summary>
    public static MetadataBlocks FromJpeg(Stream file)
    {
        var found = None;
        Span<byte> marker = stackalloc byte[4];
        file.Position = 2; // past SOI
        for (var block = 0; block < MaxBlocks && file.ReadAtLeast(marker, 4, throwOnEndOfStream: false) == 4; block++)
        {
            if (marker[0] != 0xFF)
            {
                break;
            }
            if (marker[1] == 0xFF)
            {
                file.Position -= 3; // a fill byte: the marker starts one byte on
                continue;
            }
            if (marker[1] is 0xDA or 0xD9)
            {
                break; // start of scan or end of image: the metadata comes before
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]) - 2;
            if (length < 0)
            {
                break;
            }
            if (marker[1] is not (0xE1 or 0xED))
            {
                file.Position += length;
                continue;
            }
            if (Read(file, length) is not { } segment)
            {
                break;
            }
            var content = segment.AsSpan();
            if (marker[1] == 0xE1 && content.StartsWith(ExifHeader) && found.Exif is null)
            {
                found = found with { Exif = segment[ExifHeader.Length..] };
            }
            else if (marker[1] == 0xE1 && content.StartsWith(XmpHeader) && found.Xmp is null)
            {
                found = found with { Xmp = segment[XmpHeader.Length..] };
            }
            else if (marker[1] == 0xED && content.StartsWith(PhotoshopHeader) && found.Iptc is null)
            {
                found = found with { Iptc = PhotoshopResources.Iptc(segment.AsSpan(PhotoshopHeader.Length)) };
            }
        }
        return found;
    }

    /// <summary>
    /// The content of the PNG's eXIf chunk and the text of an uncompressed XMP iTXt chunk; compressed chunks (zTXt,
    /// compressed iTXt, iCCP) are skipped unread.
    /// </summary>
    public static MetadataBlocks FromPng(Stream file)
    {
        var found = None;
        Span<byte> header = stackalloc byte[8];
        file.Position = 8; // past the signature
        for (var block = 0; block < MaxBlocks && file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8; block++)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..];
            if (type.SequenceEqual("IEND"u8) || length > int.MaxValue)
            {
                break;
            }
            if (type.SequenceEqual("eXIf"u8) && found.Exif is null && length <= MaxBlockBytes)
            {
                found = found with { Exif = Read(file, (int)length) };
                file.Position += 4; // CRC
            }
            else if (type.SequenceEqual("iTXt"u8) && found.Xmp is null && length is > 18 and <= MaxBlockBytes && IsXmpKeyword(file))
            {
                found = found with { Xmp = PngXmp(file, (int)length - PngXmpKeyword.Length) };
                file.Position += 4;
            }
            else
            {
                file.Position += length + 4L; // data and CRC
            }
        }
        return found;
    }

    /// <summary>Whether the iTXt chunk that starts here names XMP; if not, the position is back at the chunk's start.</summary>
    private static bool IsXmpKeyword(Stream file)
    {
        if (Read(file, PngXmpKeyword.Length) is { } keyword && keyword.AsSpan().SequenceEqual(PngXmpKeyword))
        {
            return true;
        }
        file.Position -= PngXmpKeyword.Length;
        return false;
    }

    /// <summary>The text of an XMP iTXt chunk after its keyword, when not compressed; null otherwise.</summary>
    private static byte[]? PngXmp(Stream file, int length)
    {
        var start = file.Position;
        var rest = Read(file, length);
        file.Position = start + length;
        // compression flag, compression method, language\0, translated keyword\0, text
        if (rest is null || rest.Length < 2 || rest[0] != 0)
        {
            return null;
        }
        var tail = rest.AsSpan(2);
        var language = tail.IndexOf((byte)0);
        var translated = language < 0 ? -1 : tail[(language + 1)..].IndexOf((byte)0);
        return translated < 0 ? null : tail[(language + 1 + translated + 1)..].ToArray();
    }

    /// <summary>The content of the WebP's EXIF and XMP chunks.</summary>
    public static MetadataBlocks FromWebp(Stream file)
    {
        var found = None;
        Span<byte> header = stackalloc byte[8];
        file.Position = 12; // past RIFF, its size and WEBP
        for (var block = 0; block < MaxBlocks && file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8; block++)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var padded = length + (length & 1); // chunks are padded to an even length
            var exif = header[..4].SequenceEqual("EXIF"u8);
            if ((exif || header[..4].SequenceEqual("XMP "u8)) && length <= MaxBlockBytes && Read(file, (int)length) is { } content)
            {
                found = exif
                    // Some writers put the JPEG APP1 header in front of the TIFF structure.
                    ? found with { Exif = found.Exif ?? (content.AsSpan().StartsWith(ExifHeader) ? content[ExifHeader.Length..] : content) }
                    : found with { Xmp = found.Xmp ?? content };
                file.Position += padded - length;
            }
            else
            {
                file.Position += padded;
            }
        }
        return found;
    }

    /// <summary>Exactly <paramref name="length"/> bytes from the current position, or null when the file ends first.</summary>
    internal static byte[]? Read(Stream file, int length)
    {
        if (length < 0 || length > MaxBlockBytes || file.Position + length > file.Length)
        {
            return null;
        }
        var bytes = new byte[length];
        return file.ReadAtLeast(bytes, length, throwOnEndOfStream: false) == length ? bytes : null;
    }
}
