using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>
/// Files built to hurt a parser, made in memory so no megabytes are committed. Each is a valid tiny
/// image on the outside (libvips could decode it) with one structure an attacker blew up inside.
/// </summary>
public static class HostileFiles
{
    private const ushort SubIfds = 0x014A;
    private const ushort ExifIfd = 0x8769;
    private const ushort NewSubfileType = 0x00FE;
    private const ushort Short = 3;
    private const ushort Long = 4;
    private const int IfdSize = 2 + 12 + 4; // one entry and the next-IFD link

    /// <summary>A zlib stream of 1 GB of zeros: about 1 MB, made once.</summary>
    private static readonly Lazy<byte[]> GigabyteOfZeros = new(() => Deflate(1L << 30));

    /// <summary>An 8×8 grey TIFF whose IFD0 opens a chain of <paramref name="depth"/> SubIFDs, each inside the one before.</summary>
    public static byte[] TiffWithNestedSubIfds(int depth) => Tiff(depth, 0);

    /// <summary>An 8×8 grey TIFF followed by <paramref name="pages"/> more pages, each IFD linked to the next.</summary>
    public static byte[] TiffWithPageChain(int pages) => Tiff(0, pages);

    /// <summary>The JPEG of <paramref name="host"/> with a first APP1 EXIF whose IFDs nest as deep as a 64 KB segment holds.</summary>
    public static byte[] JpegWithNestedExif(string host)
    {
        var jpeg = File.ReadAllBytes(host);
        var exif = Concat("Exif\0\0"u8.ToArray(), ExifNestedAsDeepAs(65533 - 6));
        var segment = new byte[4 + exif.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(exif.Length + 2));
        exif.CopyTo(segment, 4);
        return Concat(jpeg[..2], segment, jpeg[2..]);
    }

    /// <summary>A 1×1 PNG with a zTXt comment that inflates to 1 GB.</summary>
    public static byte[] PngWithZtxtBomb() =>
        Png(PngChunks.Chunk("zTXt", Concat("Comment\0\0"u8.ToArray(), GigabyteOfZeros.Value)));

    /// <summary>A 1×1 PNG with an ICC profile that inflates to 1 GB.</summary>
    public static byte[] PngWithIccpBomb() =>
        Png(PngChunks.Chunk("iCCP", Concat("ICC Profile\0\0"u8.ToArray(), GigabyteOfZeros.Value)));

    /// <summary>A 1×1 PNG with compressed international text (where XMP lives) that inflates to 1 GB.</summary>
    public static byte[] PngWithItxtBomb() =>
        Png(PngChunks.Chunk("iTXt", Concat("XML:com.adobe.xmp\0\u0001\0\0\0"u8.ToArray(), GigabyteOfZeros.Value)));

    /// <summary>A 1×1 PNG whose eXIf chunk nests SubIFDs <paramref name="depth"/> deep.</summary>
    public static byte[] PngWithNestedExif(int depth) =>
        Png(PngChunks.Chunk("eXIf", ExifNestedAsDeepAs(8 + (depth + 1) * IfdSize)));

    /// <summary>An AVIF-branded file whose meta box holds boxes nested <paramref name="depth"/> deep.</summary>
    public static byte[] AvifWithNestedBoxes(int depth)
    {
        var ftyp = Box("ftyp", Concat("avif\0\0\0\0"u8.ToArray(), "avifmif1miaf"u8.ToArray()));
        // Built inside out: each iprp box holds the next; the innermost is empty.
        var inner = Box("ipco", []);
        var nested = new byte[depth * 8 + inner.Length];
        inner.CopyTo(nested, depth * 8);
        for (var level = depth - 1; level >= 0; level--)
        {
            var start = level * 8;
            BinaryPrimitives.WriteUInt32BigEndian(nested.AsSpan(start), (uint)(nested.Length - start));
            "iprp"u8.CopyTo(nested.AsSpan(start + 4));
        }
        var handler = Box("hdlr", Concat(new byte[8], "pict"u8.ToArray(), new byte[13]));
        var meta = Box("meta", Concat(new byte[4], handler, nested));
        return Concat(ftyp, meta);
    }

    /// <summary>An 8×8 grey TIFF whose IFD0 has <paramref name="entries"/> more entries, each naming the same
    /// <paramref name="blockBytes"/> block as its value: a reader that copies each value copies the block over and over.</summary>
    public static byte[] TiffNamingOneBlockOverAndOver(int entries, int blockBytes)
    {
        const int blockAt = 8 + 64;
        var ifdAt = blockAt + blockBytes;
        var file = new byte[ifdAt + 2 + 12 * (9 + entries) + 4];
        "II*\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)ifdAt);
        (ushort Tag, ushort Type, uint Count, uint Value)[] image =
        [
            (256, Short, 1, 8), (257, Short, 1, 8), (258, Short, 1, 8), (259, Short, 1, 1), (262, Short, 1, 1), (273, Long, 1, 8), (277, Short, 1, 1), (278, Short, 1, 8), (279, Long, 1, 64),
        ];
        var table = file.AsSpan(ifdAt);
        BinaryPrimitives.WriteUInt16LittleEndian(table, (ushort)(image.Length + entries));
        var all = new List<(ushort Tag, ushort Type, uint Count, uint Value)>(image);
        all.AddRange(Enumerable.Range(0, entries).Select(i => ((ushort)(40000 + i), Long, (uint)(blockBytes / 4), (uint)blockAt)));
        for (var i = 0; i < all.Count; i++)
        {
            var entry = table[(2 + i * 12)..];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, all[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], all[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], all[i].Count);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], all[i].Value);
        }
        return file;
    }

    /// <summary>The WebP <paramref name="host"/> with its EXIF chunk replaced by one nesting SubIFDs <paramref name="depth"/> deep.</summary>
    public static byte[] WebpWithNestedExif(string host, int depth)
    {
        var webp = File.ReadAllBytes(host);
        var chunks = new List<byte[]>();
        for (var at = 12; at + 8 <= webp.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(at + 4));
            var padded = length + (length & 1);
            chunks.Add(webp.AsSpan(at, 4).SequenceEqual("EXIF"u8) ? RiffChunk("EXIF", ExifNestedAsDeepAs(8 + (depth + 1) * IfdSize)) : webp[at..(at + 8 + padded)]);
            at += 8 + padded;
        }
        var body = Concat([.. chunks]);
        var header = new byte[12];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(4 + body.Length));
        "WEBP"u8.CopyTo(header.AsSpan(8));
        return Concat(header, body);
    }

    private static byte[] RiffChunk(string type, byte[] data)
    {
        var chunk = new byte[8 + data.Length + (data.Length & 1)];
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk, 8);
        return chunk;
    }

    private static byte[] Tiff(int nestedSubIfds, int morePages)
    {
        const int pixelsAt = 8;
        const int ifd0At = pixelsAt + 64;
        var entries = new List<(ushort Tag, ushort Type, uint Value)>
        {
            (256, Short, 8), (257, Short, 8), (258, Short, 8), (259, Short, 1), (262, Short, 1), (273, Long, pixelsAt), (277, Short, 1), (278, Short, 8), (279, Long, 64),
        };
        var ifd0Size = 2 + 12 * (entries.Count + 1) + 4;
        var chainAt = ifd0At + ifd0Size;
        var chained = nestedSubIfds + morePages;
        entries.Add(nestedSubIfds > 0 ? (SubIfds, Long, (uint)chainAt) : (NewSubfileType, Long, 0));
        var file = new byte[chainAt + chained * IfdSize];
        "II*\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), ifd0At);
        WriteIfd(file, ifd0At, entries, morePages > 0 ? (uint)chainAt : 0);
        for (var i = 0; i < chained; i++)
        {
            var at = chainAt + i * IfdSize;
            var following = i + 1 < chained ? (uint)(at + IfdSize) : 0;
            if (nestedSubIfds > 0)
            {
                WriteIfd(file, at, [following == 0 ? (NewSubfileType, Long, 1) : (SubIfds, Long, following)], 0);
            }
            else
            {
                WriteIfd(file, at, [(NewSubfileType, Long, 2)], following);
            }
        }
        return file;
    }

    /// <summary>A little-endian TIFF structure of at most <paramref name="length"/> bytes: IFD0 points to the Exif IFD,
    /// which opens SubIFDs nested one in the other until the space runs out.</summary>
    private static byte[] ExifNestedAsDeepAs(int length)
    {
        var count = (length - 8) / IfdSize;
        var blob = new byte[8 + count * IfdSize];
        "II*\0"u8.CopyTo(blob);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 8);
        for (var i = 0; i < count; i++)
        {
            var at = 8 + i * IfdSize;
            var next = (uint)(at + IfdSize);
            var tag = i == 0 ? ExifIfd : SubIfds;
            WriteIfd(blob, at, [i + 1 < count ? (tag, Long, next) : (NewSubfileType, Long, 0)], 0);
        }
        return blob;
    }

    private static void WriteIfd(byte[] file, int at, IReadOnlyList<(ushort Tag, ushort Type, uint Value)> entries, uint next)
    {
        var span = file.AsSpan(at);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = span[(2 + i * 12)..];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            if (entries[i].Type == Short)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)entries[i].Value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].Value);
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[(2 + entries.Count * 12)..], next);
    }

    /// <summary>An Adam7-interlaced 16-bit RGBA PNG of <paramref name="side"/>² transparent pixels: small on disk,
    /// and a decoder cannot stream it row by row, so it holds every pixel at 8 bytes each.</summary>
    public static byte[] InterlacedPng(int side)
    {
        (int X, int Y, int StepX, int StepY)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        var bytes = passes.Sum(p => (long)((side - p.Y + p.StepY - 1) / p.StepY) * (1 + (side - p.X + p.StepX - 1) / p.StepX * 8L));
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)side);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)side);
        header[8] = 16; // bits per channel
        header[9] = 6; // RGBA
        header[12] = 1; // Adam7
        return Concat(PngChunks.Signature, PngChunks.Chunk("IHDR", header), PngChunks.Chunk("IDAT", Deflate(bytes)), PngChunks.Chunk("IEND", []));
    }

    private static byte[] Png(byte[] hostileChunk)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 1);
        header[8] = 8; // 8-bit greyscale
        var pixels = Deflate([0, 0x80]); // filter byte, one grey pixel
        return Concat(PngChunks.Signature, PngChunks.Chunk("IHDR", header), hostileChunk,
            PngChunks.Chunk("IDAT", pixels), PngChunks.Chunk("IEND", []));
    }

    private static byte[] Box(string type, byte[] content)
    {
        var box = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        content.CopyTo(box, 8);
        return box;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize))
        {
            zlib.Write(data);
        }
        return compressed.ToArray();
    }

    private static byte[] Deflate(long zeros)
    {
        var block = new byte[1 << 20];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize))
        {
            for (long written = 0; written < zeros; written += block.Length)
            {
                zlib.Write(block, 0, (int)Math.Min(block.Length, zeros - written));
            }
        }
        return compressed.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>A real JPEG to carry hostile EXIF.</summary>
    public static string JpegHost => TestData.Photo("no-exif-casio.jpg");

    /// <summary>A real WebP with an EXIF chunk (a Nikon D1X photo's).</summary>
    public static string WebpHost => TestData.Photo("nikon-d1x.webp");
}
