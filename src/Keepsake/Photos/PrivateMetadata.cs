using System.Buffers.Binary;

namespace Keepsake.Photos;

/// <summary>
/// An original without where it was taken and whose camera took it, for people the owner shares with:
/// byte-level removal that keeps the image data as it is (no re-encoding). JPEG: the EXIF block is cleaned
/// (<see cref="ExifPrivacy"/>), XMP, IPTC/Photoshop and multi-picture segments and anything after the image
/// are dropped. TIFF: cleaned in place. PNG: the EXIF and text chunks (which carry XMP and raw EXIF) are
/// dropped. WebP: the EXIF chunk is cleaned, the XMP chunk dropped. GIF: served as is unless it holds XMP.
/// Anything else, or a file whose structure is not what it should be, gives null: the caller must then serve
/// something else, never the original.
/// </summary>
public static class PrivateMetadata
{
    public static bool CanStrip(ImageFormat format) =>
        format == ImageFormat.Jpeg || format == ImageFormat.Tiff || format == ImageFormat.Png || format == ImageFormat.Webp || format == ImageFormat.Gif;

    /// <summary>The file without its private metadata (possibly <paramref name="file"/> itself, changed in place), or null.</summary>
    public static byte[]? Strip(byte[] file, ImageFormat format)
    {
        if (format == ImageFormat.Jpeg)
        {
            return StripJpeg(file);
        }
        if (format == ImageFormat.Tiff)
        {
            return ExifPrivacy.Strip(file) ? file : null;
        }
        if (format == ImageFormat.Png)
        {
            return StripPng(file);
        }
        if (format == ImageFormat.Webp)
        {
            return StripWebp(file);
        }
        if (format == ImageFormat.Gif)
        {
            return file.AsSpan().IndexOf("XMP DataXMP"u8) < 0 ? file : null;
        }
        return null;
    }

    private static byte[]? StripJpeg(byte[] file)
    {
        if (file.Length < 4 || file[0] != 0xFF || file[1] != 0xD8)
        {
            return null;
        }
        using var output = new MemoryStream(file.Length);
        output.Write(file, 0, 2);
        var position = 2;
        while (position < file.Length)
        {
            if (file[position] != 0xFF || position + 1 >= file.Length)
            {
                return null;
            }
            var marker = file[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte
                continue;
            }
            if (marker == 0xD9)
            {
                // The end of the image; whatever follows (other pictures with their own EXIF) is left out.
                output.Write(file, position, 2);
                return output.ToArray();
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                output.Write(file, position, 2);
                position += 2;
                continue;
            }
            if (position + 4 > file.Length)
            {
                return null;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(position + 2));
            var end = position + 2 + length;
            if (length < 2 || end > file.Length)
            {
                return null;
            }
            var payload = file.AsSpan(position + 4, length - 2);
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
            {
                if (!ExifPrivacy.Strip(payload[6..]))
                {
                    return null;
                }
            }
            else if ((marker == 0xE1 && payload.StartsWith("http://ns.adobe.com/"u8)) || marker == 0xED || (marker == 0xE2 && payload.StartsWith("MPF\0"u8)))
            {
                position = end; // XMP, IPTC/Photoshop, multi-picture index: left out
                continue;
            }
            output.Write(file, position, end - position);
            position = end;
            if (marker == 0xDA)
            {
                // Entropy-coded data runs to the next marker that is not a stuffed byte or a restart.
                var scan = NextMarker(file, position);
                output.Write(file, position, scan - position);
                position = scan;
            }
        }
        return output.ToArray();
    }

    /// <summary>Where the entropy-coded data from <paramref name="start"/> ends: the next 0xFF that is not a stuffed
    /// byte (0xFF00) or a restart marker; the file's end when a truncated file has none.</summary>
    private static int NextMarker(byte[] file, int start)
    {
        var scan = start;
        while (true)
        {
            var found = file.AsSpan(scan).IndexOf((byte)0xFF);
            if (found < 0 || scan + found + 1 >= file.Length)
            {
                return file.Length;
            }
            scan += found;
            if (file[scan + 1] != 0x00 && file[scan + 1] is < 0xD0 or > 0xD7)
            {
                return scan;
            }
            scan++;
        }
    }

    private static byte[]? StripPng(byte[] file)
    {
        const int SignatureLength = 8;
        using var output = new MemoryStream(file.Length);
        output.Write(file, 0, SignatureLength);
        var position = SignatureLength;
        while (position + 12 <= file.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position));
            var end = position + 12L + length;
            if (end > file.Length)
            {
                return null;
            }
            var type = file.AsSpan(position + 4, 4);
            var dropped = type.SequenceEqual("eXIf"u8) || type.SequenceEqual("tEXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8);
            if (!dropped)
            {
                output.Write(file, position, (int)(end - position));
            }
            position = (int)end;
            if (type.SequenceEqual("IEND"u8))
            {
                return output.ToArray();
            }
        }
        return null;
    }

    private static byte[]? StripWebp(byte[] file)
    {
        const int HeaderLength = 12;
        const byte XmpFlag = 0x04;
        if (file.Length < HeaderLength)
        {
            return null;
        }
        using var output = new MemoryStream(file.Length);
        output.Write(file, 0, HeaderLength);
        var position = HeaderLength;
        var extendedFlags = -1L;
        while (position + 8 <= file.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 4));
            var end = position + 8L + size + (size & 1);
            if (end > file.Length)
            {
                return null;
            }
            var type = file.AsSpan(position, 4);
            var chunk = file.AsSpan(position + 8, (int)size);
            if (type.SequenceEqual("EXIF"u8) && !ExifPrivacy.Strip(chunk.StartsWith("Exif\0\0"u8) ? chunk[6..] : chunk))
            {
                return null;
            }
            if (!type.SequenceEqual("XMP "u8))
            {
                if (type.SequenceEqual("VP8X"u8) && size > 0)
                {
                    extendedFlags = output.Position + 8;
                }
                output.Write(file, position, (int)(end - position));
            }
            position = (int)end;
        }
        var stripped = output.ToArray();
        if (extendedFlags >= 0)
        {
            stripped[extendedFlags] &= unchecked((byte)~XmpFlag);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(stripped.AsSpan(4), (uint)(stripped.Length - 8));
        return stripped;
    }
}
