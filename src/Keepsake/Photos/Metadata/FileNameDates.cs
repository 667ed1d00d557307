using System.Text.RegularExpressions;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// The capture time a file's name records, as phones and apps write it: <c>IMG_20190714_153012</c>,
/// <c>PXL_20190714_153012345</c>, <c>Screenshot_20190714-153012</c>, <c>2019-07-14 15.30.12</c>,
/// <c>Screenshot 2019-07-14 at 15.30.12</c>, and the day alone of WhatsApp's <c>IMG-20190714-WA0001</c> or a
/// <c>2019-07-14</c>. The time is the phone's wall clock; no offset is known. A date after <c>now</c> is no date.
/// </summary>
public static partial class FileNameDates
{
    public static CaptureDate? Read(string fileName, DateTime now)
    {
        var name = Path.GetFileNameWithoutExtension(fileName);
        foreach (var pattern in (ReadOnlySpan<Regex>)[DateAndTime(), SeparatedDateAndTime(), DateOnly()])
        {
            foreach (Match match in pattern.Matches(name))
            {
                if (CaptureDate.Valid(match)
                    is { } local && local <= now)
                {
                    return new CaptureDate(local, null, DateSource.FileName);
                }
            }
        }
        return null;
    }


    [GeneratedRegex(@"(?<!\d)(?<y>(?:19|20)\d\d)(?<mo>\d\d)(?<d>\d\d)[_\-T ]?(?<h>\d\d)(?<mi>\d\d)(?<s>\d\d)(?:\d{1,3})?(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DateAndTime();

    [GeneratedRegex(@"(?<!\d)(?<y>(?:19|20)\d\d)-(?<mo>\d\d)-(?<d>\d\d)(?:[ _T-]|\sat\s)(?<h>\d\d)[.:\-_](?<mi>\d\d)[.:\-_](?<s>\d\d)(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatedDateAndTime();

    [GeneratedRegex(@"(?<!\d)(?<y>(?:19|20)\d\d)(?<sep>-?)(?<mo>\d\d)\k<sep>(?<d>\d\d)(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DateOnly();
}
