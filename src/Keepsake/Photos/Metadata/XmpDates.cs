using System.Text.RegularExpressions;
using System.Xml;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// The capture time an XMP packet records, from <c>exif:DateTimeOriginal</c>, <c>xmp:CreateDate</c> or
/// <c>photoshop:DateCreated</c> in that order, as attributes of <c>rdf:Description</c> or as elements. The packet is
/// read with no DTD, no entity and no resolver, and no further than its size; a broken packet gives what came before
/// the break.
/// </summary>
public static partial class XmpDates
{
    private static readonly (string Namespace, string Name)[] Properties =
    [
        ("http://ns.adobe.com/exif/1.0/", "DateTimeOriginal"),
        ("http://ns.adobe.com/xap/1.0/", "CreateDate"),
        ("http://ns.adobe.com/photoshop/1.0/", "DateCreated"),
    ];

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MetadataBlocks.MaxBlockBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        ConformanceLevel = ConformanceLevel.Fragment,
    };

    public static CaptureDate? Read(byte[] packet)
    {
        var values = new string?[Properties.Length];
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(packet), Settings);
            int? open = null;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        open = reader.IsEmptyElement ? null : IndexOf(reader.NamespaceURI, reader.LocalName);
                        while (reader.MoveToNextAttribute())
                        {
                            if (IndexOf(reader.NamespaceURI, reader.LocalName) is { } attribute)
                            {
                                values[attribute] ??= reader.Value;
                            }
                        }
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA when open is { } element:
                        values[element] ??= reader.Value;
                        open = null;
                        break;
                    case XmlNodeType.EndElement:
                        open = null;
                        break;
                }
            }
        }
        catch (XmlException)
        {
            // What was read before the break still counts.
        }
        return values.Select(Parse).FirstOrDefault(date => date is not null);
    }

    private static int? IndexOf(string ns, string name)
    {
        var index = Array.IndexOf(Properties, (ns, name));
        return index < 0 ? null : index;
    }

    /// <summary>An ISO 8601 date as XMP writes it, to the day at least, with or without a time and an offset.</summary>
    internal static CaptureDate? Parse(string? text)
    {
        if (text is null || XmpDate().Match(text.Trim()) is not { Success: true } match)
        {
            return null;
        }
        var date = CaptureDate.Valid(match);
        var zone = match.Groups["tz"].Value;
        var offset = zone == "Z" ? 0 : zone.Length > 0 ? CaptureDate.ParseOffset(zone) : null;
        return date is { } local && (zone.Length == 0 || offset is not null) ? new CaptureDate(local, offset, DateSource.Xmp) : null;
    }


    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:T(?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,]\d{1,9})?)?(?<tz>Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex XmpDate();
}
