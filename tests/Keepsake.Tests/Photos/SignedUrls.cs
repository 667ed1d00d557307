using System.Text.RegularExpressions;

namespace Keepsake.Tests.Photos;

/// <summary>What a signed thumbnail or preview URL looks like (<c>Keepsake.Photos.SignedPhotoUrls</c>).</summary>
public static partial class SignedUrls
{
    /// <summary>
    /// <paramref name="text"/> with every signed URL's expiry and signature blanked: a server signs with a key of its own,
    /// so the same library on a new machine (a restore) hands out the same URLs with other signatures, and a view taken a
    /// few minutes later carries later expiries.
    /// </summary>
    public static string WithoutSignatures(string text) => ExpiryOrSignature().Replace(text, "$1$2");

    [GeneratedRegex("(expires=)[0-9]+|(sig=)[A-Za-z0-9_-]{22}")]
    private static partial Regex ExpiryOrSignature();

    /// <summary>Asserts <paramref name="url"/> is a signed URL of <paramref name="photoId"/>'s <paramref name="variant"/> for a viewer of <paramref name="viewerKind"/>.</summary>
    public static void AssertSigned(string? url, Guid photoId, string variant, string viewerKind = "user", bool placeHidden = false)
    {
        Assert.NotNull(url);
        var place = placeHidden ? "&place=hidden" : "";
        Assert.Matches(
            $@"^/api/files/[0-9a-f]{{32}}/{photoId:N}/{variant}/[0-9a-f]{{32}}\?viewer={viewerKind}-[0-9a-f]{{32}}{Regex.Escape(place)}&expires=[0-9]+&sig=[A-Za-z0-9_-]{{22}}$",
            url);
    }
}
