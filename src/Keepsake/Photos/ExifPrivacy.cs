using System.Buffers.Binary;

namespace Keepsake.Photos;

/// <summary>
/// Removes, in place and without changing the length, what an EXIF (TIFF) block says about where a photo was
/// taken and whose camera took it: the GPS IFD (its pointer is taken out of the IFD, its entries and values
/// zeroed), the camera owner's name, body and lens serial numbers, the maker note (where makers keep serial
/// numbers of their own) and embedded XMP, IPTC and Photoshop blocks (which can repeat the place). Every other
/// entry (the date, exposure, orientation, the image itself in a TIFF) keeps its bytes and offsets.
/// Walks a fixed, bounded set of IFDs without recursion; answers false when the structure is not one it can
/// edit safely (the caller then must not serve the block).
/// </summary>
public static class ExifPrivacy
{
    private const ushort GpsIfdPointer = 0x8825;
    private const ushort ExifIfdPointer = 0x8769;

    /// <summary>Tags whose values are removed: camera owner and serials, maker note, XMP, IPTC, Photoshop, DNG camera serial.</summary>
    private static readonly HashSet<ushort> PrivateTags = [0xA430, 0xA431, 0xA435, 0x927C, 0x02BC, 0x83BB, 0x8649, 0xC62F];

    private const int MaxIfds = 16;
    private const int MaxEntries = 4096;

    public static bool Strip(Span<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return false;
        }
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I' && tiff[2] == 42 && tiff[3] == 0)
        {
            little = true;
        }
        else if (tiff[0] == 'M' && tiff[1] == 'M' && tiff[2] == 0 && tiff[3] == 42)
        {
            little = false;
        }
        else
        {
            return false;
        }
        var reader = new Reader(little);
        var pending = new Queue<long>();
        var seen = new HashSet<long>();
        pending.Enqueue(reader.U32(tiff, 4));
        while (pending.TryDequeue(out var offset))
        {
            if (offset == 0 || !seen.Add(offset))
            {
                continue;
            }
            if (seen.Count > MaxIfds || !StripIfd(tiff, reader, offset, pending, out var next))
            {
                return false;
            }
            pending.Enqueue(next);
        }
        return true;
    }

    private static bool StripIfd(Span<byte> tiff, Reader reader, long offset, Queue<long> pending, out long next)
    {
        next = 0;
        if (offset + 2 > tiff.Length)
        {
            return false;
        }
        var start = (int)offset;
        var count = reader.U16(tiff, start);
        var end = start + 2 + (12 * count);
        if (count > MaxEntries || end + 4 > tiff.Length)
        {
            return false;
        }
        // From the last entry back, so taking an entry out only moves entries already looked at.
        for (var i = count - 1; i >= 0; i--)
        {
            var entry = start + 2 + (12 * i);
            var tag = reader.U16(tiff, entry);
            if (tag == ExifIfdPointer)
            {
                pending.Enqueue(reader.U32(tiff, entry + 8));
                continue;
            }
            if (tag == GpsIfdPointer)
            {
                if (!BlankGpsIfd(tiff, reader, reader.U32(tiff, entry + 8)))
                {
                    return false;
                }
            }
            else if (!PrivateTags.Contains(tag))
            {
                continue;
            }
            else if (!ZeroValue(tiff, reader, entry))
            {
                return false;
            }
            RemoveEntry(tiff, start, ref count, ref end, i, reader);
        }
        next = reader.U32(tiff, end);
        return true;
    }

    /// <summary>Takes entry <paramref name="index"/> out: the later entries and the next-IFD offset move up one place.</summary>
    private static void RemoveEntry(Span<byte> tiff, int start, ref ushort count, ref int end, int index, Reader reader)
    {
        var entry = start + 2 + (12 * index);
        tiff[(entry + 12)..(end + 4)].CopyTo(tiff[entry..]);
        tiff.Slice(end + 4 - 12, 12).Clear();
        count--;
        end -= 12;
        reader.WriteU16(tiff, start, count);
    }

    /// <summary>Zeroes every entry of the GPS IFD and the values they point to. A pointer outside the block
    /// points at nothing a reader could find, so there is nothing to blank.</summary>
    private static bool BlankGpsIfd(Span<byte> tiff, Reader reader, long offset)
    {
        if (offset == 0 || offset + 2 > tiff.Length)
        {
            return true;
        }
        var start = (int)offset;
        var count = reader.U16(tiff, start);
        var end = start + 2 + (12 * count) + 4;
        if (count > MaxEntries || end > tiff.Length)
        {
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            if (!ZeroValue(tiff, reader, start + 2 + (12 * i)))
            {
                return false;
            }
        }
        tiff[start..end].Clear();
        return true;
    }

    /// <summary>Zeroes the value of an entry: in the entry itself when it fits in four bytes, else where it points.</summary>
    private static bool ZeroValue(Span<byte> tiff, Reader reader, int entry)
    {
        var size = TypeSize(reader.U16(tiff, entry + 2)) * (long)reader.U32(tiff, entry + 4);
        if (size < 0)
        {
            return false;
        }
        if (size <= 4)
        {
            tiff.Slice(entry + 8, 4).Clear();
            return true;
        }
        var at = reader.U32(tiff, entry + 8);
        if (at + size > tiff.Length)
        {
            return false;
        }
        tiff.Slice((int)at, (int)size).Clear();
        return true;
    }

    /// <summary>Bytes per value of a TIFF field type; -1 for a type this does not know (so its size is unknown).</summary>
    private static long TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 => 8,
        _ => -1,
    };

    private readonly record struct Reader(bool Little)
    {
        public ushort U16(ReadOnlySpan<byte> data, int at) =>
            Little ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

        public long U32(ReadOnlySpan<byte> data, int at) =>
            Little ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);

        public void WriteU16(Span<byte> data, int at, ushort value)
        {
            if (Little)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data[at..], value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(data[at..], value);
            }
        }
    }
}
