using k8s;
using k8s.Models;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// A custom resource (CloudNativePG, Prometheus Operator) for the typed parse; its spec is checked
/// against the operator's own CRD schema instead (<see cref="CrdSchema"/>).
/// </summary>
public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public Dictionary<string, object> Spec { get; set; } = [];
}
