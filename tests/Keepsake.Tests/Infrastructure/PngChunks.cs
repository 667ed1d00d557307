using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Keepsake.Tests.Infrastructure;

/// <summary>PNGs written by hand, for tests that need one built a particular way: the signature, and chunks with their CRC.</summary>
public static class PngChunks
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>One chunk: the data's length, the type, the data, and the CRC-32 of type and data.</summary>
    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>An 8-bit greyscale PNG whose pixel at (x, y) is <paramref name="pixel"/>(x, y): rows of filter byte 0 and pixels, deflated.</summary>
    public static byte[] Greyscale(int width, int height, Func<int, int, byte> pixel)
    {
        var rows = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                rows[(y * (width + 1)) + 1 + x] = pixel(x, y);
            }
        }
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(rows);
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per sample; the zeros after it: greyscale, deflate, the one filter method, not interlaced
        return [.. Signature, .. Chunk("IHDR", header), .. Chunk("IDAT", deflated.ToArray()), .. Chunk("IEND", [])];
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
