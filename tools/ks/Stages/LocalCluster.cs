using System.Security.Cryptography;
using Keepsake.Ks.Processes;
using static Keepsake.Ks.Stages.Setting;

namespace Keepsake.Ks.Stages;

/// <summary>
/// The commands that make and feed the local stage's cluster: kind with its Podman provider (no Docker daemon), a
/// registry container beside it at <c>localhost:5001</c>, and the ingress controller the local overlay's Ingress needs.
/// </summary>
internal static class LocalCluster
{
    /// <summary>The kind cluster's name; kind names its kube context <c>kind-keepsake</c>.</summary>
    public const string Name = "keepsake";

    public const string Registry = "kind-registry";

    public const int RegistryPort = 5001;

    public const string RegistryImage = "docker.io/library/registry:2.8.3";

    public const string ConfigFile = "tools/ks/kind-cluster.yaml";

    /// <summary>ingress-nginx's manifest for kind, pinned to a release: it admits the Ingress of keepsake.localhost.</summary>
    public const string IngressController = "https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml";

    public static readonly IReadOnlyDictionary<string, string> KindEnvironment = new Dictionary<string, string> { ["KIND_EXPERIMENTAL_PROVIDER"] = "podman" };

    public static IReadOnlyList<Invocation> Bootstrap(StageCluster cluster)
    {
        var certificates = $"/etc/containerd/certs.d/localhost:{RegistryPort}";
        return
        [
            // A second bootstrap finishes what the first began: what exists is kept, every step after it runs again.
            new("podman", "run", "-d", "--restart=always", "--name", Registry, "-p", $"127.0.0.1:{RegistryPort}:5000", RegistryImage)
            {
                Unless = new("podman", "container", "exists", Registry),
            },
            new("kind", "create", "cluster", "--name", Name, "--config", ConfigFile)
            {
                Environment = KindEnvironment,
                Unless = new("kind", "get", "kubeconfig", "--name", Name) { Environment = KindEnvironment },
            },
            new("podman", "network", "connect", "kind", Registry)
            {
                Unless = new("sh", "-c", $"podman container inspect --format {{{{.NetworkSettings.Networks}}}} {Registry} | grep -q kind:"),
            },
            new("podman", "exec", "-i", $"{Name}-control-plane", "sh", "-c", $"mkdir -p {certificates} && cat > {certificates}/hosts.toml")
            {
                Input = $"[host.\"http://{Registry}:5000\"]\n",
            },
            // The registry's address for tools that read it from the cluster (Tilt does): KEP-1755's ConfigMap.
            Kubectl(cluster, "apply", "-f", "-") with
            {
                Input = $"""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: local-registry-hosting
                      namespace: kube-public
                    data:
                      localRegistryHosting.v1: |
                        host: "localhost:{RegistryPort}"
                        help: "https://kind.sigs.k8s.io/docs/user/local-registry/"

                    """,
            },
            Kubectl(cluster, "apply", "-f", IngressController),
            Kubectl(cluster, "wait", "--namespace", "ingress-nginx", "--for=condition=ready", "pod",
                "--selector=app.kubernetes.io/component=controller", "--timeout=300s"),
            Kubectl(cluster, "apply", "-f", $"{cluster.Overlay}/namespace.yaml"),
            // The Secrets the overlay reads (deploy/README.md), with generated values: the object store's root user is the
            // S3 key pair and the database is initialised with its password, so a second bootstrap keeps what is there.
            CreateSecretOnce(cluster, "keepsake-secrets", new Dictionary<string, string>
            {
                [VariableOf(Stages.S3AccessKey)] = "keepsake",
                [VariableOf(Stages.S3SecretKey)] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
                [VariableOf(Stages.KeyEncryptionKey)] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            }),
            CreateSecretOnce(cluster, "keepsake-db-app", new Dictionary<string, string>
            {
                ["username"] = "keepsake",
                ["password"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
            }),
        ];
    }

    private static Invocation CreateSecretOnce(StageCluster cluster, string name, IReadOnlyDictionary<string, string> values) =>
        KubectlIn(cluster, "create", "-f", "-") with
        {
            Input = $"""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: {name}
                type: Opaque
                stringData:
                {string.Concat(values.Select(v => $"  {v.Key}: \"{v.Value}\"\n"))}
                """,
            InputIsSecret = true,
            Unless = KubectlIn(cluster, "get", "secret", name),
        };

    /// <summary>Saves the image as an archive and loads it into the kind node (kind's <c>load docker-image</c> needs Docker).</summary>
    public static IReadOnlyList<Invocation> Load(string image, string archive) =>
    [
        new("podman", "save", "-o", archive, image),
        new("kind", "load", "image-archive", archive, "--name", Name) { Environment = KindEnvironment },
    ];

    /// <summary><c>kubectl --context C ARGS</c>: every kubectl of ks names the stage's context, whatever is current.</summary>
    public static Invocation Kubectl(StageCluster cluster, params string[] arguments) => new("kubectl", ["--context", cluster.Context, .. arguments]);

    /// <summary><c>kubectl --context C --namespace N ARGS</c>.</summary>
    public static Invocation KubectlIn(StageCluster cluster, params string[] arguments) =>
        new("kubectl", ["--context", cluster.Context, "--namespace", cluster.Namespace, .. arguments]);
}
