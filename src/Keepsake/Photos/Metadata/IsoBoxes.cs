using System.Buffers.Binary;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// The box tree of a HEIF or AVIF file, walked with a loop before libheif parses it (libheif recurses
/// into container boxes), and the EXIF item found through <c>meta/iinf</c> and <c>meta/iloc</c> without
/// handing the file to MetadataExtractor, whose EXIF reader recurses into every IFD.
/// </summary>
public static class IsoBoxes
{
    /// <summary>moov/trak/mdia/minf/stbl of an image sequence is five deep; nothing real nests three times that.</summary>
    public const int MaxDepth = 16;

    /// <summary>A grid image has a few hundred boxes.</summary>
    public const int MaxBoxes = 50_000;

    /// <summary>Box types holding boxes.</summary>
    private static readonly HashSet<string> Containers =
    [
        "meta", "iprp", "ipco", "dinf", "dref", "iref", "grpl", "moov", "trak", "mdia",
        "minf", "stbl", "edts", "udta", "mvex", "moof", "traf", "sinf", "schi", "tref",
    ];

    /// <summary>The bytes a container has before its first child: full boxes carry a version and flags, dref a count too.</summary>
    private static int ChildrenOffset(string type) => type switch
    {
        "meta" or "iref" => 4,
        "dref" => 8,
        _ => 0,
    };

    private sealed record Box(string Type, long ContentStart, long End, int Depth);

    /// <summary>False when boxes nest deeper than <see cref="MaxDepth"/> or number more than <see cref="MaxBoxes"/>.
    /// A box cut short or overrunning its parent ends the walk of that level: the decoder reports such damage itself.</summary>
    public static bool IsWithinLimits(Stream file) => Walk(file, null);

    /// <summary>The TIFF structure of the file's EXIF item, or null.</summary>
    public static byte[]? FindExif(Stream file)
    {
        var metaChildren = new List<Box>();
        if (!Walk(file, metaChildren))
        {
            return null;
        }
        var iinf = metaChildren.FirstOrDefault(b => b.Type == "iinf");
        var iloc = metaChildren.FirstOrDefault(b => b.Type == "iloc");
        if (iinf is null || iloc is null || ReadContent(file, iinf) is not { } items || ReadContent(file, iloc) is not { } locations)
        {
            return null;
        }
        try
        {
            if (ExifItemId(items) is not { } id || ItemBytes(file, locations, id, metaChildren.FirstOrDefault(b => b.Type == "idat")) is not { } item)
            {
                return null;
            }
            var tiffAt = 4 + (long)BinaryPrimitives.ReadUInt32BigEndian(item);
            var tiff = tiffAt < item.Length ? item[(int)tiffAt..] : null;
            return tiff is not null && tiff.AsSpan().StartsWith("Exif\0\0"u8) ? tiff[6..] : tiff;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static bool Walk(Stream file, List<Box>? metaChildren)
    {
        var pending = new Stack<(long Start, long End, int Depth, bool InMeta)>();
        pending.Push((0, file.Length, 1, false));
        var seen = 0;
        Span<byte> header = stackalloc byte[16];
        while (pending.TryPop(out var level))
        {
            for (var at = level.Start; at + 8 <= level.End;)
            {
                if (++seen > MaxBoxes || level.Depth > MaxDepth)
                {
                    return false;
                }
                file.Position = at;
                if (file.ReadAtLeast(header, 16, throwOnEndOfStream: false) < 8)
                {
                    break;
                }
                long size = BinaryPrimitives.ReadUInt32BigEndian(header);
                var type = System.Text.Encoding.ASCII.GetString(header.Slice(4, 4));
                var headerLength = 8;
                if (size == 1)
                {
                    size = (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
                    headerLength = 16;
                }
                else if (size == 0)
                {
                    size = level.End - at;
                }
                if (size < headerLength || at + size > level.End)
                {
                    break;
                }
                var box = new Box(type, at + headerLength, at + size, level.Depth);
                if (level.InMeta)
                {
                    metaChildren?.Add(box);
                }
                if (Containers.Contains(type))
                {
                    pending.Push((box.ContentStart + ChildrenOffset(type), box.End, level.Depth + 1, type == "meta" && level.Depth == 1));
                }
                at += size;
            }
        }
        return true;
    }

    private static byte[]? ReadContent(Stream file, Box box)
    {
        file.Position = box.ContentStart;
        return MetadataBlocks.Read(file, (int)Math.Min(box.End - box.ContentStart, MetadataBlocks.MaxBlockBytes + 1L));
    }

    /// <summary>The id of the first item of type <c>Exif</c> listed in <c>iinf</c>.</summary>
    private static uint? ExifItemId(byte[] iinf)
    {
        var reader = new BoxContent(iinf);
        var version = reader.Byte();
        reader.Skip(3);
        var count = version == 0 ? reader.UInt(2) : reader.UInt(4);
        for (var i = 0L; i < count && reader.Remaining >= 8; i++)
        {
            var entryStart = reader.Position;
            var size = reader.UInt(4);
            var entryType = reader.FourCc();
            var entryVersion = reader.Byte();
            reader.Skip(3);
            if (entryType == "infe" && entryVersion >= 2)
            {
                var id = reader.UInt(entryVersion == 2 ? 2 : 4);
                reader.Skip(2); // protection index
                if (reader.FourCc() == "Exif")
                {
                    return (uint)id;
                }
            }
            reader.Position = entryStart + (int)Math.Max(size, 8);
        }
        return null;
    }

    /// <summary>The bytes of item <paramref name="id"/> as <c>iloc</c> places them, in the file or in <c>idat</c>.</summary>
    private static byte[]? ItemBytes(Stream file, byte[] iloc, uint id, Box? idat)
    {
        var reader = new BoxContent(iloc);
        var version = reader.Byte();
        reader.Skip(3);
        var sizes = reader.Byte();
        var (offsetSize, lengthSize) = (sizes >> 4, sizes & 15);
        var more = reader.Byte();
        var (baseOffsetSize, indexSize) = (more >> 4, version is 1 or 2 ? more & 15 : 0);
        var count = version < 2 ? reader.UInt(2) : reader.UInt(4);
        for (var i = 0L; i < count; i++)
        {
            var itemId = version < 2 ? reader.UInt(2) : reader.UInt(4);
            var construction = version is 1 or 2 ? reader.UInt(2) & 15 : 0;
            reader.Skip(2); // data reference index
            var baseOffset = reader.UInt(baseOffsetSize);
            var extents = reader.UInt(2);
            using var item = new MemoryStream();
            for (var e = 0L; e < extents; e++)
            {
                reader.Skip(indexSize);
                var offset = reader.UInt(offsetSize);
                var length = reader.UInt(lengthSize);
                if (itemId != id)
                {
                    continue;
                }
                var origin = construction == 1 && idat is not null ? idat.ContentStart : 0;
                file.Position = origin + baseOffset + offset;
                if (construction > 1 || item.Length + length > MetadataBlocks.MaxBlockBytes || MetadataBlocks.Read(file, (int)length) is not { } extent)
                {
                    return null;
                }
                item.Write(extent);
            }
            if (itemId == id)
            {
                return item.Length >= 4 ? item.ToArray() : null;
            }
        }
        return null;
    }

    /// <summary>Big-endian fields of a box's content; running past its end is <see cref="InvalidDataException"/>.</summary>
    private sealed class BoxContent(byte[] bytes)
    {
        public int Position { get; set; }

        public int Remaining => bytes.Length - Position;

        public int Byte() => (int)UInt(1);

        public void Skip(int count) => Take(count);

        public string FourCc() => System.Text.Encoding.ASCII.GetString(Take(4));

        public long UInt(int size)
        {
            long value = 0;
            foreach (var b in Take(size))
            {
                value = (value << 8) | b;
            }
            return value;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > Remaining)
            {
                throw new InvalidDataException("box content ends early");
            }
            Position += count;
            return bytes.AsSpan(Position - count, count);
        }
    }
}
