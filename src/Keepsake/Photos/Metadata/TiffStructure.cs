using System.Buffers.Binary;

namespace Keepsake.Photos.Metadata;

/// <summary>Why a TIFF structure is refused, or <see cref="Readable"/>.</summary>
public enum TiffVerdict
{
    Readable,
    TooDeep,
    TooManyIfds,
    TooManyEntries,
    OverlappingValues,
}

/// <summary>
/// Walks the IFDs of a TIFF structure (a TIFF file, or the EXIF of another format) with a loop, never
/// recursion, before any library reads it: next-IFD links, SubIFDs, the Exif, GPS and Interop IFDs and
/// entries of the IFD type are followed, cycles are skipped. A structure nesting deeper, holding more
/// IFDs or entries, or naming the same value bytes over and over (so a reader copies one region a
/// thousand times) is not a photo any camera or editor writes; it is refused before it can exhaust
/// a reader's stack or memory.
/// </summary>
public static class TiffStructure
{
    /// <summary>IFD0 → Exif → Interop is three deep; DNG SubIFDs add one or two.</summary>
    public const int MaxDepth = 16;

    /// <summary>Pages of a multi-page TIFF and their sub-IFDs together.</summary>
    public const int MaxIfds = 2048;

    /// <summary>No real IFD has more than a few hundred entries.</summary>
    public const int MaxEntriesPerIfd = 1024;

    /// <summary>Values may share bytes a little (writers reuse small arrays), never many times over.</summary>
    private const long ValueOverlapAllowance = 1 << 20;

    private static readonly HashSet<ushort> IfdPointerTags = [0x014A, 0x8769, 0x8825, 0xA005];

    private const ushort IfdType = 13;

    /// <summary>Checks a TIFF structure read through <paramref name="read"/> (bytes at an offset; fewer at the end).</summary>
    public static TiffVerdict Check(long length, Func<long, Span<byte>, int> read)
    {
        Span<byte> header = stackalloc byte[8];
        if (read(0, header) < 8 || !(header.StartsWith("II"u8) || header.StartsWith("MM"u8)))
        {
            return TiffVerdict.Readable; // not a TIFF structure at all: the readers find nothing in it
        }
        var bigEndian = header[0] == 'M';
        var pending = new Stack<(long Offset, int Depth)>();
        pending.Push((UInt32(header[4..], bigEndian), 1));
        var visited = new HashSet<long>();
        long valueBytes = 0;
        var entries = new byte[MaxEntriesPerIfd * 12 + 4];
        Span<byte> pointer = stackalloc byte[4];
        Span<byte> countBytes = stackalloc byte[2];
        while (pending.TryPop(out var ifd))
        {
            if (ifd.Offset <= 0 || ifd.Offset + 2 > length || !visited.Add(ifd.Offset))
            {
                continue;
            }
            if (visited.Count > MaxIfds)
            {
                return TiffVerdict.TooManyIfds;
            }
            if (ifd.Depth > MaxDepth)
            {
                return TiffVerdict.TooDeep;
            }
            if (read(ifd.Offset, countBytes) < 2)
            {
                continue;
            }
            int count = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(countBytes) : BinaryPrimitives.ReadUInt16LittleEndian(countBytes);
            if (count > MaxEntriesPerIfd)
            {
                return TiffVerdict.TooManyEntries;
            }
            var table = entries.AsSpan(0, count * 12 + 4);
            if (read(ifd.Offset + 2, table) < table.Length)
            {
                continue; // cut short: readers stop at the end of the data
            }
            for (var i = 0; i < count; i++)
            {
                var entry = table.Slice(i * 12, 12);
                var tag = UInt16(entry, bigEndian);
                var type = UInt16(entry[2..], bigEndian);
                var components = UInt32(entry[4..], bigEndian);
                var size = components * TypeSize(type);
                var valueAt = size > 4 ? UInt32(entry[8..], bigEndian) : ifd.Offset + 2 + i * 12 + 8;
                if (size > 4 && valueAt + size <= length)
                {
                    valueBytes += size;
                    if (valueBytes > length + ValueOverlapAllowance)
                    {
                        return TiffVerdict.OverlappingValues;
                    }
                }
                if ((IfdPointerTags.Contains(tag) && TypeSize(type) == 4) || type == IfdType)
                {
                    var children = Math.Min(components, MaxIfds + 1L);
                    for (var child = 0; child < children; child++)
                    {
                        if (size <= 4)
                        {
                            pending.Push((UInt32(entry[8..], bigEndian), ifd.Depth + 1));
                        }
                        else if (read(valueAt + child * 4L, pointer) == 4)
                        {
                            pending.Push((UInt32(pointer, bigEndian), ifd.Depth + 1));
                        }
                    }
                }
            }
            pending.Push((UInt32(table[(count * 12)..], bigEndian), ifd.Depth));
            if (pending.Count > 4 * MaxIfds)
            {
                return TiffVerdict.TooManyIfds;
            }
        }
        return TiffVerdict.Readable;
    }

    /// <summary>Checks a TIFF structure held in memory (the EXIF of a JPEG, PNG, WebP or HEIF).</summary>
    public static TiffVerdict Check(byte[] tiff) => Check(tiff.Length, (offset, buffer) =>
    {
        if (offset >= tiff.Length)
        {
            return 0;
        }
        var available = tiff.AsSpan((int)offset, (int)Math.Min(buffer.Length, tiff.Length - offset));
        available.CopyTo(buffer);
        return available.Length;
    });

    /// <summary>Bytes per component of a TIFF field type; unknown types hold nothing a reader follows.</summary>
    private static long TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or IfdType => 4,
        5 or 10 or 12 => 8,
        _ => 0,
    };

    private static ushort UInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    private static uint UInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
