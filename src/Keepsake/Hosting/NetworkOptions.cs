using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Keepsake.Hosting;

/// <summary>
/// Which reverse proxies may tell the server who the client is and whether it came over TLS
/// (<c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c>). Left empty, only loopback is trusted; either list set
/// replaces that default, so a cluster trusts its pod network (the ingress controller) and nothing else.
/// </summary>
public sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Network";

    /// <summary>Proxy addresses, comma-separated (<c>10.0.0.5, fd00::5</c>).</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Proxy networks in CIDR notation, comma-separated (<c>10.42.0.0/16</c>).</summary>
    public string? KnownNetworks { get; set; }

    public bool ReplacesLoopback => Entries(KnownProxies).Any() || Entries(KnownNetworks).Any();

    public IEnumerable<IPAddress> Proxies => Entries(KnownProxies).Select(IPAddress.Parse);

    public IEnumerable<IPNetwork> Networks => Entries(KnownNetworks).Select(n => IPNetwork.Parse(n));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in Entries(KnownProxies).Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Network:KnownProxies: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }
        foreach (var network in Entries(KnownNetworks))
        {
            if (!IPNetwork.TryParse(network, out var parsed))
            {
                yield return new ValidationResult($"Network:KnownNetworks: '{network}' is not a network in CIDR notation, like 10.42.0.0/16.", [nameof(KnownNetworks)]);
            }
            else if (parsed.PrefixLength == 0)
            {
                yield return new ValidationResult($"Network:KnownNetworks: '{network}' would let anyone on the internet pretend to be any client.", [nameof(KnownNetworks)]);
            }
        }
    }

    private static IEnumerable<string> Entries(string? list) =>
        (list ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
