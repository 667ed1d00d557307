using System.Buffers.Binary;
using System.Text;

namespace Keepsake.Tests.Photos;

/// <summary>
/// A Display P3 ICC profile (version 2, matrix and gamma-2.2 curves), written from its published D50-adapted primaries,
/// for test photos in the colour space phones shoot: the test data holds no such photo, and libvips has no built-in P3
/// profile before 8.15.
/// </summary>
internal static class DisplayP3Profile
{
    private static readonly double[] WhitePoint = [0.9642, 1.0, 0.8249];

    private static readonly (string Tag, double[] Xyz)[] Primaries =
    [
        ("rXYZ", [0.515102, 0.241182, -0.001050]),
        ("gXYZ", [0.291965, 0.692236, 0.041882]),
        ("bXYZ", [0.157153, 0.066582, 0.784378]),
    ];

    public static byte[] Create()
    {
        var tags = new List<(string Tag, byte[] Data)>
        {
            ("desc", Description("Display P3 (Keepsake tests)")),
            ("cprt", Text("No copyright: made by the Keepsake tests")),
            ("wtpt", Xyz(WhitePoint)),
        };
        tags.AddRange(Primaries.Select(p => (p.Tag, Xyz(p.Xyz))));
        // Gamma 2.2 as u8Fixed8Number (2 + 51/256).
        var curve = Concat(Signature("curv"), new byte[4], U32(1), [0x02, 0x33, 0, 0]);
        tags.AddRange(new[] { "rTRC", "gTRC", "bTRC" }.Select(tag => (tag, curve)));

        var tableSize = 4 + (12 * tags.Count);
        var offset = 128 + tableSize;
        var table = new List<byte>(U32((uint)tags.Count));
        var data = new List<byte>();
        foreach (var (tag, bytes) in tags)
        {
            table.AddRange(Signature(tag));
            table.AddRange(U32((uint)(offset + data.Count)));
            table.AddRange(U32((uint)bytes.Length));
            data.AddRange(bytes);
            while (data.Count % 4 != 0)
            {
                data.Add(0);
            }
        }
        var size = 128 + tableSize + data.Count;
        var header = new byte[128];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)size);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 0x02100000);
        Signature("mntr").CopyTo(header, 12);
        Signature("RGB ").CopyTo(header, 16);
        Signature("XYZ ").CopyTo(header, 20);
        Signature("acsp").CopyTo(header, 36);
        Xyz(WhitePoint).AsSpan(8).CopyTo(header.AsSpan(68));
        return [.. header, .. table, .. data];
    }

    private static byte[] Description(string text)
    {
        var ascii = Encoding.ASCII.GetBytes(text + "\0");
        // ASCII, then an empty Unicode and an empty ScriptCode description (67 bytes of ScriptCode text, unused).
        return Concat(Signature("desc"), new byte[4], U32((uint)ascii.Length), ascii, U32(0), U32(0), new byte[2 + 1 + 67]);
    }

    private static byte[] Text(string text) => Concat(Signature("text"), new byte[4], Encoding.ASCII.GetBytes(text + "\0"));

    private static byte[] Xyz(double[] xyz) =>
        Concat(Signature("XYZ "), new byte[4], S15Fixed16(xyz[0]), S15Fixed16(xyz[1]), S15Fixed16(xyz[2]));

    private static byte[] S15Fixed16(double value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, (int)Math.Round(value * 65536));
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Signature(string signature) => Encoding.ASCII.GetBytes(signature);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
