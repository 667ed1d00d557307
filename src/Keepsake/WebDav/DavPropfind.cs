using System.Xml;
using System.Xml.Linq;

namespace Keepsake.WebDav;

/// <summary>What a PROPFIND body asks for (RFC 4918 section 9.1): every property, their names only, or the ones named.</summary>
public sealed record DavPropfindRequest(bool AllProperties, bool NamesOnly, IReadOnlyList<XName> Named)
{
    /// <summary>A PROPFIND body is a few named properties; past this it is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly DavPropfindRequest AllProp = new(true, false, []);

    /// <summary>The request, or the problem's detail when the body is not a propfind element.</summary>
    public static async Task<(DavPropfindRequest? Request, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, $"A PROPFIND body is at most {MaxBodyBytes / 1024} KB.");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, $"A PROPFIND body is at most {MaxBodyBytes / 1024} KB.");
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (AllProp, null);
        }
        buffer.Position = 0;
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(buffer, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            return (null, $"The PROPFIND body is not well-formed XML: {e.Message}");
        }
        var root = document.Root!;
        if (root.Name != DavProperties.Dav + "propfind")
        {
            return (null, "The PROPFIND body must be a DAV:propfind element.");
        }
        if (root.Element(DavProperties.Dav + "propname") is not null)
        {
            return (new DavPropfindRequest(false, true, []), null);
        }
        if (root.Element(DavProperties.Dav + "prop") is { } prop)
        {
            return (new DavPropfindRequest(false, false, [.. prop.Elements().Select(e => e.Name).Distinct()]), null);
        }
        // allprop may name more properties in DAV:include (RFC 4918 section 14.8): each is answered, 404 when unknown.
        return root.Element(DavProperties.Dav + "allprop") is not null
            ? (new DavPropfindRequest(true, false, [.. (root.Element(DavProperties.Dav + "include")?.Elements() ?? []).Select(e => e.Name).Distinct()]), null)
            : (null, "The DAV:propfind element must hold DAV:allprop, DAV:propname or DAV:prop.");
    }

    /// <summary>One <c>DAV:response</c>: the properties found under 200, those the resource lacks under 404.</summary>
    public XElement Response(DavResource resource, string href, string ownerName)
    {
        var dav = DavProperties.Dav;
        var found = new List<XElement>();
        var missing = new List<XElement>();
        foreach (var name in AllProperties || NamesOnly ? DavProperties.All.Union(Named) : Named)
        {
            if (DavProperties.Of(resource, name, ownerName) is { } value)
            {
                found.Add(NamesOnly ? new XElement(name) : value);
            }
            else if (Named.Contains(name))
            {
                missing.Add(new XElement(name));
            }
        }
        var response = new XElement(dav + "response", new XElement(dav + "href", href));
        if (found.Count > 0)
        {
            response.Add(PropStat(found, "HTTP/1.1 200 OK"));
        }
        if (missing.Count > 0)
        {
            response.Add(PropStat(missing, "HTTP/1.1 404 Not Found"));
        }
        return response;
    }

    private static XElement PropStat(IEnumerable<XElement> properties, string status) =>
        new(DavProperties.Dav + "propstat", new XElement(DavProperties.Dav + "prop", properties), new XElement(DavProperties.Dav + "status", status));
}
