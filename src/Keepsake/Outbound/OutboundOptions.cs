using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Keepsake.Outbound;

/// <summary>
/// Limits on every request Keepsake itself makes to another server (the weather provider, and any later one):
/// no redirects, no private, loopback or link-local address unless its network is listed, a size cap on answers.
/// </summary>
public sealed class OutboundOptions : IValidatableObject
{
    public const string Section = "Outbound";

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) that outbound requests may reach although they are private,
    /// loopback or link-local: a self-hosted provider on the home network.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Largest answer read from another server, in bytes.</summary>
    [Range(1024, 1_000_000_000)]
    public int MaxResponseBytes { get; set; } = 4_000_000;

    /// <summary>Longest wait for a connection to another server.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal IReadOnlyList<IPNetwork> ParsedNetworks => [.. AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks)
        {
            if (!IPNetwork.TryParse(network.Trim(), out _))
            {
                yield return new ValidationResult($"Outbound:AllowedNetworks '{network}' is not a network in CIDR form, like 10.0.0.0/8.", [nameof(AllowedNetworks)]);
            }
        }
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"Outbound:ConnectTimeout is {ConnectTimeout}; it must be positive.", [nameof(ConnectTimeout)]);
        }
    }
}
