using System.Globalization;
using System.Text;

namespace Keepsake.Tests.Infrastructure;

/// <summary>Copies of one JPEG that differ in bytes, so an import takes each for a photo of its own rather than a duplicate.</summary>
public static class PhotoCopies
{
    /// <summary>
    /// Writes <paramref name="count"/> copies of <paramref name="jpeg"/> into <paramref name="folder"/> as <c>photo-000.jpg</c>,
    /// <c>photo-001.jpg</c>…, in the order an import takes them; each carries a comment segment (COM) of its own right
    /// after the start-of-image marker. Returns their names.
    /// </summary>
    public static IReadOnlyList<string> Write(string jpeg, string folder, int count)
    {
        var bytes = File.ReadAllBytes(jpeg);
        Assert.True(bytes[0] == 0xFF && bytes[1] == 0xD8, $"{jpeg} is not a JPEG");
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = $"photo-{i.ToString("000", CultureInfo.InvariantCulture)}.jpg";
            var comment = Encoding.ASCII.GetBytes($"copy {i.ToString(CultureInfo.InvariantCulture)}");
            var segment = new byte[4 + comment.Length];
            segment[0] = 0xFF;
            segment[1] = 0xFE;
            segment[2] = (byte)((comment.Length + 2) >> 8);
            segment[3] = (byte)(comment.Length + 2);
            comment.CopyTo(segment, 4);
            File.WriteAllBytes(Path.Combine(folder, name), [.. bytes.AsSpan(0, 2), .. segment, .. bytes.AsSpan(2)]);
            names.Add(name);
        }
        return names;
    }
}
