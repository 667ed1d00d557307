using System.Buffers.Binary;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// Finds the EXIF block (a TIFF structure) of a JPEG, PNG or WebP by walking its segments or chunks in a
/// loop, skipping everything else unread: text, ICC and XMP chunks are never inflated or parsed, and no
/// more than <see cref="MaxExifBytes"/> is ever read into memory.
/// </summary>
public static class ExifLocator
{
    /// <summary>A JPEG's EXIF fits in one 64 KB segment; other formats have no reason to hold more than a few times that.</summary>
    public const int MaxExifBytes = 1 << 20;

    /// <summary>Real files have a few dozen segments or chunks before their metadata; a walk stops long after that.</summary>
    private const int MaxBlocks = 1 << 16;

    private static readonly byte[] ExifHeader = "Exif\0\0"u8.ToArray();

    /// <summary>The TIFF structure of the first EXIF APP1 segment before the image data, or null.</summary>
    public static byte[]? FromJpeg(Stream file)
    {
        Span<byte> marker = stackalloc byte[4];
        file.Position = 2; // past SOI
        for (var block = 0; block < MaxBlocks && file.ReadAtLeast(marker, 4, throwOnEndOfStream: false) == 4; block++)
        {
            if (marker[0] != 0xFF)
            {
                return null;
            }
            if (marker[1] == 0xFF)
            {
                file.Position -= 3; // a fill byte: the marker starts one byte on
                continue;
            }
            if (marker[1] is 0xDA or 0xD9)
            {
                return null; // start of scan or end of image: no EXIF came first
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]) - 2;
            if (length < 0)
            {
                return null;
            }
            if (marker[1] != 0xE1)
            {
                file.Position += length;
                continue;
            }
            // APP1 holds EXIF, or XMP (which Keepsake does not read)
            if (Read(file, length) is not { } segment)
            {
                return null;
            }
            if (segment.AsSpan().StartsWith(ExifHeader))
            {
                return segment[ExifHeader.Length..];
            }
        }
        return null;
    }

    /// <summary>The content of the PNG's eXIf chunk, or null; compressed chunks (zTXt, iTXt, iCCP) are skipped unread.</summary>
    public static byte[]? FromPng(Stream file)
    {
        Span<byte> header = stackalloc byte[8];
        file.Position = 8; // past the signature
        for (var block = 0; block < MaxBlocks && file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8; block++)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..];
            if (type.SequenceEqual("eXIf"u8))
            {
                return length <= MaxExifBytes ? Read(file, (int)length) : null;
            }
            if (type.SequenceEqual("IEND"u8) || length > int.MaxValue)
            {
                return null;
            }
            file.Position += length + 4L; // data and CRC
        }
        return null;
    }

    /// <summary>The content of the WebP's EXIF chunk, or null.</summary>
    public static byte[]? FromWebp(Stream file)
    {
        Span<byte> header = stackalloc byte[8];
        file.Position = 12; // past RIFF, its size and WEBP
        for (var block = 0; block < MaxBlocks && file.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8; block++)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (header[..4].SequenceEqual("EXIF"u8))
            {
                var exif = length <= MaxExifBytes ? Read(file, (int)length) : null;
                // Some writers put the JPEG APP1 header in front of the TIFF structure.
                return exif is not null && exif.AsSpan().StartsWith(ExifHeader) ? exif[ExifHeader.Length..] : exif;
            }
            file.Position += length + (length & 1); // chunks are padded to an even length
        }
        return null;
    }

    /// <summary>Exactly <paramref name="length"/> bytes from the current position, or null when the file ends first.</summary>
    internal static byte[]? Read(Stream file, int length)
    {
        if (length < 0 || length > MaxExifBytes || file.Position + length > file.Length)
        {
            return null;
        }
        var bytes = new byte[length];
        return file.ReadAtLeast(bytes, length, throwOnEndOfStream: false) == length ? bytes : null;
    }
}
