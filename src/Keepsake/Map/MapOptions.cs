using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Keepsake.Map;

/// <summary>
/// The Map page: where its tiles come from and whom they credit. The browser loads the tiles itself, straight from the
/// tile server (the Content-Security-Policy allows that one host), so the server never fetches one.
/// </summary>
public sealed class MapOptions : IValidatableObject
{
    public const string Section = "Map";

    public const string OpenStreetMapTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>Off: the map's API answers 404, the web app shows no Map page and the policy allows no tile host.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// An OpenStreetMap-style (XYZ) template: <c>{z}</c>, <c>{x}</c> and <c>{y}</c> in the path; optionally <c>{s}</c> as the
    /// host's first label (a server's subdomains) and <c>{r}</c> (<c>@2x</c> on a high-density screen).
    /// </summary>
    public string TileUrl { get; set; } = OpenStreetMapTiles;

    /// <summary>The credit the tile provider asks for, shown on the map as plain text.</summary>
    public string? Attribution { get; set; } = "© OpenStreetMap contributors";

    /// <summary>Where the credit links to (the provider's copyright page); none when empty.</summary>
    public string? AttributionUrl { get; set; } = "https://www.openstreetmap.org/copyright";

    /// <summary>The origin the browser loads tiles from, as a Content-Security-Policy source (<c>{s}.</c> becomes <c>*.</c>).</summary>
    public string TileSource()
    {
        var url = new Uri(Sample(TileUrl));
        var host = TileUrl.Contains("://{s}.", StringComparison.Ordinal) ? "*." + url.Host[(SampleSubdomain.Length + 1)..] : url.Host;
        return url.IsDefaultPort
            ? $"{url.Scheme}://{host}"
            : string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{host}:{url.Port}");
    }

    private const string SampleSubdomain = "a";

    /// <summary>The template with every placeholder filled, so it parses as a URL.</summary>
    private static string Sample(string template) => template
        .Replace("{s}", SampleSubdomain, StringComparison.Ordinal).Replace("{z}", "1", StringComparison.Ordinal)
        .Replace("{x}", "1", StringComparison.Ordinal).Replace("{y}", "1", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (TileUrlProblem(TileUrl) is { } problem)
        {
            yield return new ValidationResult(
                $"Map:TileUrl is '{TileUrl}': {problem}; use an http(s) template with {{z}}, {{x}} and {{y}}, such as {OpenStreetMapTiles}, or set Map:Enabled to false.",
                [nameof(TileUrl)]);
        }
        if (string.IsNullOrWhiteSpace(Attribution))
        {
            yield return new ValidationResult(
                "Map:Attribution is not set; it is required while the map is on: the credit the tile provider asks for, such as '© OpenStreetMap contributors'.",
                [nameof(Attribution)]);
        }
        if (!string.IsNullOrEmpty(AttributionUrl)
            && (!Uri.TryCreate(AttributionUrl, UriKind.Absolute, out var link) || (link.Scheme != Uri.UriSchemeHttp && link.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult(
                $"Map:AttributionUrl is '{AttributionUrl}'; use an http(s) URL, such as https://www.openstreetmap.org/copyright, or leave it empty.",
                [nameof(AttributionUrl)]);
        }
    }

    private static string? TileUrlProblem(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "it is empty";
        }
        if (!Uri.TryCreate(Sample(template), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return "it is not an http(s) URL";
        }
        if (url.UserInfo.Length > 0 || url.Query.Contains('\'', StringComparison.Ordinal) || template.Any(char.IsWhiteSpace) || template.Contains(';', StringComparison.Ordinal))
        {
            return "it holds characters a tile URL has no use for (a user name, a quote, a semicolon or a space)";
        }
        if (new[] { "{z}", "{x}", "{y}" }.FirstOrDefault(p => !template.Contains(p, StringComparison.Ordinal)) is { } missing)
        {
            return $"it has no {missing}";
        }
        if (template.Contains("{s}", StringComparison.Ordinal) && !template.Contains("://{s}.", StringComparison.Ordinal))
        {
            return "{s} may only be the first label of the host, as in https://{s}.tile.example.org/{z}/{x}/{y}.png";
        }
        return null;
    }
}
