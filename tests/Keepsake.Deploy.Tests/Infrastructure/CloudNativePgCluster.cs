using k8s;
using k8s.Models;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>The part of CloudNativePG's Cluster resource the overlays use; the strict parse rejects anything else.</summary>
public sealed class CloudNativePgCluster : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ClusterSpec Spec { get; set; } = new();

    public sealed class ClusterSpec
    {
        public int Instances { get; set; }

        public string ImageName { get; set; } = "";

        public string PrimaryUpdateStrategy { get; set; } = "";

        public BootstrapSpec Bootstrap { get; set; } = new();

        public StorageSpec Storage { get; set; } = new();

        public V1ResourceRequirements Resources { get; set; } = new();
    }

    public sealed class BootstrapSpec
    {
        public InitdbSpec Initdb { get; set; } = new();
    }

    public sealed class InitdbSpec
    {
        public string Database { get; set; } = "";

        public string Owner { get; set; } = "";
    }

    public sealed class StorageSpec
    {
        public string Size { get; set; } = "";
    }
}
