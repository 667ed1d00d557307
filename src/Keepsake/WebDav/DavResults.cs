using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Keepsake.WebDav;

/// <summary>The answers WebDAV has beyond JSON: a 207 multistatus, an error with a precondition element, and plain problems.</summary>
public static class DavResults
{
    public const int MultiStatus = StatusCodes.Status207MultiStatus;

    public static IResult MultiStatusOf(IEnumerable<XElement> responses) =>
        new XmlResult(MultiStatus, new XElement(DavProperties.Dav + "multistatus", new XAttribute(XNamespace.Xmlns + "D", DavProperties.Dav.NamespaceName), responses));

    /// <summary>An RFC 4918 section 16 error: the status and a <c>DAV:error</c> naming the precondition that failed.</summary>
    public static IResult Precondition(int status, string condition, string description) =>
        new XmlResult(status, new XElement(DavProperties.Dav + "error", new XAttribute(XNamespace.Xmlns + "D", DavProperties.Dav.NamespaceName),
            new XElement(DavProperties.Dav + condition), new XElement(DavProperties.Dav + "responsedescription", description)));

    public static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    public static IResult NotFound() =>
        Problem(StatusCodes.Status404NotFound, "Not found", "Nothing is at this path of your WebDAV folder.");

    private sealed class XmlResult(int status, XElement root) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/xml; charset=utf-8";
            var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = false };
            await using var writer = XmlWriter.Create(context.Response.Body, settings);
            await new XDocument(new XDeclaration("1.0", "utf-8", null), root).SaveAsync(writer, context.RequestAborted);
        }
    }
}
