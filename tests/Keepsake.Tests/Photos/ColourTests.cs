using System.Runtime.CompilerServices;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>
/// The preview and thumbnail are sRGB whatever colour space the photo was in (saved without a profile, which every
/// viewer reads as sRGB): a Display P3 photo, as phones shoot them, shows the colours of the same photo in sRGB, and a
/// CMYK JPEG shows its colours, not their inverse.
/// </summary>
public sealed class ColourTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    /// <summary>How far, in 8-bit levels, the mean of a channel may be from the reference's.</summary>
    private const double Tolerance = 3;

    [Fact]
    public async Task A_display_p3_photo_gets_a_preview_and_thumbnail_with_the_colours_of_the_same_photo_in_srgb()
    {
        var user = await shared.NewUserAsync();
        using var folder = new TemporaryFolder();
        var profile = Path.Combine(folder.Path, "display-p3.icc");
        await File.WriteAllBytesAsync(profile, DisplayP3Profile.Create());
        // A test photo with its colours made vivid, where P3 and sRGB values differ most.
        var srgb = Vivid(await File.ReadAllBytesAsync(TestData.Photo("gps-samsung-galaxy-note5.jpg")));
        var p3 = ToProfile(srgb, profile);
        // What a viewer that ignored the profile would show: far enough from the sRGB photo for this test to fail without the conversion.
        Assert.True(Distance(Mean(p3), Mean(srgb)) > 4 * Tolerance, $"the P3 pixels {Mean(p3)} are too close to the sRGB ones {Mean(srgb)} to tell");

        var fromSrgb = await UploadAsync(user, "srgb.jpg", srgb);
        var fromP3 = await UploadAsync(user, "p3.jpg", p3);

        foreach (var variant in new[] { "thumbnail", "preview" })
        {
            var (expected, actual) = (Mean(fromSrgb[variant]), Mean(fromP3[variant]));
            Assert.True(Distance(expected, actual) <= Tolerance, $"{variant}: the P3 photo's mean colour {actual} is not the sRGB photo's {expected}");
            Assert.False(HasProfile(fromP3[variant]), $"the {variant} keeps a colour profile: it should be plain sRGB");
        }
    }

    [Theory]
    // A red word on a dark blue-grey ground (Pillow's CMYK sample): inverted, it would be a cyan word on a light ground.
    [InlineData("cmyk.jpg", "dark")]
    // A dark blue house and green letters on white, with a 557 KB SWOP profile in many segments: inverted, it would be dark.
    [InlineData("cmyk-icc-557kb-multi-segment.jpg", "light")]
    public async Task A_cmyk_jpeg_gets_a_thumbnail_in_its_own_colours_not_their_inverse(string file, string ground)
    {
        var user = await shared.NewUserAsync();

        var thumbnail = (await UploadAsync(user, file, await File.ReadAllBytesAsync(TestData.Odd(file))))["thumbnail"];

        var (red, green, blue) = Mean(thumbnail);
        if (ground == "dark")
        {
            Assert.True(Math.Max(red, Math.Max(green, blue)) < 100, $"mean ({red:0}, {green:0}, {blue:0}) is not a dark picture");
            Assert.True(red > green + 10 && red > blue + 5, $"mean ({red:0}, {green:0}, {blue:0}) has lost its red");
        }
        else
        {
            Assert.True(Math.Min(red, Math.Min(green, blue)) > 170, $"mean ({red:0}, {green:0}, {blue:0}) is not a light picture");
            Assert.True(blue >= red, $"mean ({red:0}, {green:0}, {blue:0}) has lost its blue");
        }
    }

    private static async Task<Dictionary<string, byte[]>> UploadAsync(HttpClient user, string name, byte[] content)
    {
        var upload = await PhotoTestKit.ReadUploadAsync(await PhotoTestKit.UploadBytesAsync(user, (name, content)), System.Net.HttpStatusCode.Created);
        var photo = upload.Photos.Single().Photo;
        return new Dictionary<string, byte[]>
        {
            ["thumbnail"] = await user.GetByteArrayAsync(photo.ThumbnailUrl),
            ["preview"] = await user.GetByteArrayAsync(photo.PreviewUrl),
        };
    }

    private static double Distance((double R, double G, double B) a, (double R, double G, double B) b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));

    private static byte[] ToProfile(byte[] srgbJpeg, string profile)
    {
        LibvipsLoader.Load();
        return ToProfileWithNetVips(srgbJpeg, profile);
    }

    private static byte[] Vivid(byte[] srgbJpeg)
    {
        LibvipsLoader.Load();
        return VividWithNetVips(srgbJpeg);
    }

    private static (double R, double G, double B) Mean(byte[] image)
    {
        LibvipsLoader.Load();
        return MeanWithNetVips(image);
    }

    private static bool HasProfile(byte[] image)
    {
        LibvipsLoader.Load();
        return HasProfileWithNetVips(image);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] ToProfileWithNetVips(byte[] srgbJpeg, string profile)
    {
        using var source = NetVips.Image.NewFromBuffer(srgbJpeg, access: NetVips.Enums.Access.Random);
        using var converted = source.IccTransform(profile, embedded: false, inputProfile: "srgb", intent: NetVips.Enums.Intent.Relative);
        return converted.WriteToBuffer(".jpg[Q=95]");
    }

    /// <summary>The photo with its chroma (in LCh) five times as strong, saved as an sRGB JPEG.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] VividWithNetVips(byte[] srgbJpeg)
    {
        using var source = NetVips.Image.NewFromBuffer(srgbJpeg, access: NetVips.Enums.Access.Random);
        using var lch = source.Colourspace(NetVips.Enums.Interpretation.Lch);
        using var vivid = lch * new[] { 1.0, 5.0, 1.0 };
        using var back = vivid.Copy(interpretation: NetVips.Enums.Interpretation.Lch).Colourspace(NetVips.Enums.Interpretation.Srgb);
        using var bytes = back.Cast(NetVips.Enums.BandFormat.Uchar);
        return bytes.WriteToBuffer(".jpg[Q=95,strip]");
    }

    /// <summary>The mean of each channel of the pixels as stored, with no colour management.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (double R, double G, double B) MeanWithNetVips(byte[] bytes)
    {
        using var loaded = NetVips.Image.NewFromBuffer(bytes, access: NetVips.Enums.Access.Random);
        using var image = loaded.HasAlpha() ? loaded.Flatten() : loaded.Copy();
        return (image[0].Avg(), image[1].Avg(), image[2].Avg());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool HasProfileWithNetVips(byte[] bytes)
    {
        using var image = NetVips.Image.NewFromBuffer(bytes);
        return image.Contains("icc-profile-data");
    }
}
