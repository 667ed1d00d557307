using System.Buffers.Binary;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// The image resource blocks of a JPEG's Photoshop APP13 segment (<c>8BIM</c>, id, padded Pascal name, size, data),
/// walked in a loop within the segment, for the one that holds IPTC.
/// </summary>
public static class PhotoshopResources
{
    private const ushort IptcResource = 0x0404;

    /// <summary>The IPTC-NAA record set, or null when the segment holds none or is malformed.</summary>
    public static byte[]? Iptc(ReadOnlySpan<byte> resources)
    {
        var at = 0;
        while (at + 12 <= resources.Length && resources.Slice(at, 4).SequenceEqual("8BIM"u8))
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(resources[(at + 4)..]);
            var nameLength = resources[at + 6];
            var sizeAt = at + 6 + ((nameLength + 2) & ~1); // the name's length byte and text, padded to even
            if (sizeAt + 4 > resources.Length)
            {
                return null;
            }
            var size = BinaryPrimitives.ReadUInt32BigEndian(resources[sizeAt..]);
            var dataAt = sizeAt + 4;
            if (size > (uint)(resources.Length - dataAt))
            {
                return null;
            }
            if (id == IptcResource)
            {
                return resources.Slice(dataAt, (int)size).ToArray();
            }
            at = dataAt + (int)size + (int)(size & 1);
        }
        return null;
    }
}
