using System.Net;
using System.Text.Json.Nodes;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>A pod as NetworkPolicies see it: its namespace's labels, its own labels, its address and its named ports.</summary>
public sealed record Endpoint(string Namespace, IReadOnlyDictionary<string, string> Labels, IPAddress Address, IReadOnlyDictionary<string, int>? NamedPorts = null)
{
    /// <summary>Namespaces carry <c>kubernetes.io/metadata.name</c> (set by the API server since 1.21).</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels => new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace };
}

/// <summary>
/// Whether the rendered NetworkPolicies let a connection through, by the rules of
/// <see href="https://kubernetes.io/docs/concepts/services-networking/network-policies/"/>: a pod that a
/// policy of the direction selects is isolated, and then only a rule of such a policy admits traffic;
/// a peer with both selectors means both; a named port is the destination pod's.
/// </summary>
public sealed class NetworkPolicyModel(IEnumerable<JsonObject> policies, string policyNamespace)
{
    private readonly List<JsonObject> policies = policies.ToList();

    public bool Allows(Endpoint from, Endpoint to, int port, string protocol = "TCP") =>
        Admits("Ingress", to, from, to, port, protocol) && Admits("Egress", from, to, to, port, protocol);

    private bool Admits(string direction, Endpoint subject, Endpoint peer, Endpoint destination, int port, string protocol)
    {
        if (subject.Namespace != policyNamespace)
        {
            return true;
        }
        var isolating = policies.Where(p => Types(p).Contains(direction) && Matches(p["spec"]!["podSelector"], subject.Labels)).ToList();
        var rulesKey = direction == "Ingress" ? "ingress" : "egress";
        var peersKey = direction == "Ingress" ? "from" : "to";
        return isolating.Count == 0 || isolating.Any(p => (p["spec"]![rulesKey] as JsonArray ?? []).OfType<JsonObject>().Any(rule =>
            (rule[peersKey] is not JsonArray peers || peers.OfType<JsonObject>().Any(x => PeerMatches(x, peer)))
            && (rule["ports"] is not JsonArray ports || ports.OfType<JsonObject>().Any(x => PortMatches(x, destination, port, protocol)))));
    }

    private static IEnumerable<string> Types(JsonObject policy) =>
        policy["spec"]!["policyTypes"] is JsonArray types ? types.Select(t => t!.GetValue<string>())
            : policy["spec"]!["egress"] is null ? ["Ingress"] : ["Ingress", "Egress"];

    private bool PeerMatches(JsonObject peer, Endpoint endpoint)
    {
        if (peer["ipBlock"] is JsonObject block)
        {
            var inside = IPNetwork.Parse(block["cidr"]!.GetValue<string>()).Contains(endpoint.Address);
            return inside && !(block["except"] as JsonArray ?? []).Any(e => IPNetwork.Parse(e!.GetValue<string>()).Contains(endpoint.Address));
        }
        var namespaceMatches = peer["namespaceSelector"] is { } ns ? Matches(ns, endpoint.NamespaceLabels) : endpoint.Namespace == policyNamespace;
        var podMatches = peer["podSelector"] is not { } pods || Matches(pods, endpoint.Labels);
        return namespaceMatches && podMatches;
    }

    private static bool PortMatches(JsonObject rule, Endpoint destination, int port, string protocol)
    {
        if ((rule["protocol"]?.GetValue<string>() ?? "TCP") != protocol)
        {
            return false;
        }
        return rule["port"] switch
        {
            null => true,
            JsonValue v when v.TryGetValue<long>(out var number) => number == port,
            JsonValue v => destination.NamedPorts?.TryGetValue(v.GetValue<string>(), out var named) == true && named == port,
            _ => false,
        };
    }

    private static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector?["matchExpressions"] is not null)
        {
            throw new NotSupportedException("matchExpressions: extend the model before using them");
        }
        var wanted = selector?["matchLabels"] as JsonObject ?? [];
        return wanted.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value!.GetValue<string>());
    }
}
