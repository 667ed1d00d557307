using System.Buffers.Binary;

namespace Keepsake.Tests.Security;

/// <summary>Reading and forging the structures of photo files, for tests that look inside what the server serves.</summary>
public static class PhotoBytes
{
    /// <summary>The coded image: a JPEG's first scan to its end, a WebP's VP8/VP8L chunk, a PNG's IDAT chunks.</summary>
    public static byte[] ImageData(byte[] file, string format)
    {
        switch (format)
        {
            case "jpeg":
                var position = 2;
                while (file[position + 1] != 0xDA)
                {
                    position += 2 + BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(position + 2));
                }
                var end = position;
                while (!(file[end] == 0xFF && file[end + 1] == 0xD9))
                {
                    end++;
                }
                return file[position..(end + 2)];
            case "webp":
                for (var chunk = 12; chunk + 8 <= file.Length; chunk += 8 + (int)((BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(chunk + 4)) + 1) & ~1u))
                {
                    if (file.AsSpan(chunk, 4).SequenceEqual("VP8 "u8) || file.AsSpan(chunk, 4).SequenceEqual("VP8L"u8))
                    {
                        return file[chunk..(chunk + 8 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(chunk + 4)))];
                    }
                }
                throw new InvalidDataException("no VP8 chunk");
            default:
                return PngChunks(file).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        }
    }

    public static List<(string Type, byte[] Data)> PngChunks(byte[] file)
    {
        var chunks = new List<(string, byte[])>();
        for (var position = 8; position + 12 <= file.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position));
            chunks.Add((System.Text.Encoding.ASCII.GetString(file, position + 4, 4), file[(position + 8)..(position + 8 + length)]));
            position += 12 + length;
        }
        return chunks;
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF block in front of its other segments (little-endian TIFF): IFD0 with the make
    /// and pointers to an Exif IFD (date taken, camera owner, body and lens serial numbers) and a GPS IFD (latitude).
    /// </summary>
    public static byte[] JpegWithSerialNumbers(byte[] jpeg)
    {
        var tiff = new byte[218];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        void Entry(int at, ushort tag, ushort type, uint count, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 4), count);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at + 8), value);
        }
        void Text(int at, string text) => System.Text.Encoding.ASCII.GetBytes(text + "\0").CopyTo(tiff.AsSpan(at));
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 3);
        Entry(10, 0x010F, 2, 6, 50);
        Entry(22, 0x8769, 4, 1, 56);
        Entry(34, 0x8825, 4, 1, 164);
        Text(50, "Canon");
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(56), 4);
        Entry(58, 0x9003, 2, 20, 110);
        Entry(70, 0xA430, 2, 13, 130);
        Entry(82, 0xA431, 2, 13, 143);
        Entry(94, 0xA435, 2, 8, 156);
        Text(110, "2021:05:06 07:08:09");
        Text(130, "Ada Lovelace");
        Text(143, "SN-123456789");
        Text(156, "LS-4242");
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(164), 2);
        Entry(166, 0x0001, 2, 2, 'N');
        Entry(178, 0x0002, 5, 3, 194);
        foreach (var (i, numerator, denominator) in new[] { (0, 51u, 1u), (1, 30u, 1u), (2, 2628u, 100u) })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(194 + (8 * i)), numerator);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(198 + (8 * i)), denominator);
        }
        var segment = new byte[4 + 6 + tiff.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        tiff.CopyTo(segment, 10);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>Gives the first entry of the JPEG's GPS IFD a field type no TIFF version defines, so its size is unknown.
    /// Readers skip such an entry; nothing can tell how many bytes of the block its value takes.</summary>
    public static void GiveTheGpsIfdAnUnknownFieldType(byte[] jpeg)
    {
        var exif = jpeg.AsSpan().IndexOf("Exif\0\0"u8) + 6;
        var little = jpeg[exif] == 'I';
        int U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(jpeg.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at));
        int U32(int at) => (int)(little ? BinaryPrimitives.ReadUInt32LittleEndian(jpeg.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(jpeg.AsSpan(at)));
        var ifd0 = exif + U32(exif + 4);
        var gpsEntry = Enumerable.Range(0, U16(ifd0)).Select(i => ifd0 + 2 + (12 * i)).Single(e => U16(e) == 0x8825);
        var gps = exif + U32(gpsEntry + 8);
        var type = gps + 2 + 2;
        jpeg[type] = little ? (byte)0xEE : (byte)0;
        jpeg[type + 1] = little ? (byte)0 : (byte)0xEE;
    }
}
