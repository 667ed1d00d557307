using System.Net;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>Connections the rendered NetworkPolicies let through (<see cref="NetworkPolicyModel"/>), from the pods a real cluster runs.</summary>
public sealed class NetworkPolicyTests
{
    private static readonly Endpoint Traefik = new("kube-system", Labels(("app.kubernetes.io/name", "traefik")), IPAddress.Parse("10.42.0.7"));
    private static readonly Endpoint CoreDns = new("kube-system", Labels(("k8s-app", "kube-dns")), IPAddress.Parse("10.43.0.10"));
    private static readonly Endpoint IngressNginx = new("ingress-nginx", Labels(("app.kubernetes.io/name", "ingress-nginx")), IPAddress.Parse("10.42.0.8"));
    private static readonly Endpoint Prometheus = new("monitoring", Labels(("app.kubernetes.io/name", "prometheus")), IPAddress.Parse("10.42.0.9"));
    private static readonly Endpoint S3 = new("", Labels(), IPAddress.Parse("52.219.170.1"));
    private static readonly Endpoint SomeWebSite = new("", Labels(), IPAddress.Parse("93.184.215.14"));
    private static readonly Endpoint ManagedPostgres = new("", Labels(), IPAddress.Parse("10.20.30.40"));

    [Fact]
    public async Task On_the_homelab_k3s_traefik_in_kube_system_reaches_the_server_and_no_other_pod_does()
    {
        var (model, server) = await ServerAsync("homelab");

        Assert.True(model.Allows(Traefik, server, 8080), "Traefik (kube-system, app.kubernetes.io/name=traefik) cannot reach the server");
        Assert.False(model.Allows(CoreDns, server, 8080), "any pod of kube-system reaches the server");
        Assert.False(model.Allows(Traefik with { Namespace = "default" }, server, 8080), "a pod labelled traefik outside kube-system reaches the server");
        Assert.False(model.Allows(Traefik, server, 9464), "Traefik reaches the management port");
        Assert.True(model.Allows(Prometheus, server, 9464), "Prometheus cannot scrape the management port");
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    [InlineData("preview")]
    [InlineData("local")]
    public async Task On_the_clusters_ingress_nginx_reaches_the_public_port_and_prometheus_only_the_management_port(string overlay)
    {
        var (model, server) = await ServerAsync(overlay);

        Assert.True(model.Allows(IngressNginx, server, 8080));
        Assert.False(model.Allows(IngressNginx, server, 9464));
        Assert.True(model.Allows(Prometheus, server, 9464));
        Assert.False(model.Allows(Prometheus, server, 8080));
        Assert.False(model.Allows(Traefik, server, 8080));
    }

    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task Keepsakes_pods_reach_dns_and_only_the_database_cache_and_s3_their_overlay_uses(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var ns = FirstSyncCheck.NamespaceOf(rendered.Manifests);
        var model = new NetworkPolicyModel(rendered.ManifestsOf("NetworkPolicy"), ns);
        var settings = rendered.All<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith("keepsake-settings", StringComparison.Ordinal)).Data;
        var usesPostgres = settings["KEEPSAKE_Database__Provider"] == "postgres";
        var usesS3 = settings["KEEPSAKE_Storage__Provider"] == "s3";
        var usesRedis = settings.ContainsKey("KEEPSAKE_Cache__Redis");
        var cnpg = new Endpoint(ns, Labels(("cnpg.io/cluster", "keepsake-db"), ("cnpg.io/instanceRole", "primary")), IPAddress.Parse("10.42.3.3"));
        var redis = new Endpoint(ns, Labels(("app.kubernetes.io/component", "cache")), IPAddress.Parse("10.42.3.4"), new Dictionary<string, int> { ["redis"] = 6379 });
        // The database and the object store run in the cluster on local (pods of its own StatefulSets), else outside it.
        var inClusterDatabase = InClusterPod(rendered, ns, "database", IPAddress.Parse("10.42.3.5"));
        var inClusterS3 = InClusterPod(rendered, ns, "object-store", IPAddress.Parse("10.42.3.6"));
        var database = inClusterDatabase ?? (rendered.ManifestsOf("Cluster").Any() ? cnpg : ManagedPostgres);
        var (s3, s3Port) = inClusterS3 is null ? (S3, 443) : (inClusterS3, inClusterS3.NamedPorts!.Values.Single());

        Assert.All(rendered.PodTemplates().Where(t => t.Template.Metadata.Labels.TryGetValue("app.kubernetes.io/name", out var name) && name == "keepsake"), t =>
        {
            var pod = new Endpoint(ns, new Dictionary<string, string>(t.Template.Metadata.Labels), IPAddress.Parse("10.42.2.2"));
            Assert.True(model.Allows(pod, CoreDns, 53, "UDP"), $"{t.Owner} cannot resolve names");
            Assert.True(usesPostgres == model.Allows(pod, database, 5432), $"{t.Owner}: database {(usesPostgres ? "unreachable" : "reachable")}");
            if (!usesPostgres)
            {
                Assert.False(model.Allows(pod, cnpg, 5432) || model.Allows(pod, ManagedPostgres, 5432), $"{t.Owner} reaches a database its overlay does not use");
            }
            Assert.True(usesRedis == model.Allows(pod, redis, 6379), $"{t.Owner}: Redis {(usesRedis ? "unreachable" : "reachable")}");
            Assert.True(usesS3 == model.Allows(pod, s3, s3Port), $"{t.Owner}: S3 {(usesS3 ? "unreachable" : "reachable")}");
            Assert.False(s3 != S3 && model.Allows(pod, S3, 443), $"{t.Owner} reaches an S3 its overlay does not use");
            Assert.False(model.Allows(pod, SomeWebSite, 80), $"{t.Owner} reaches any web site");
        });
    }

    /// <summary>The pod of the overlay's own StatefulSet of that component (local's database, object store), with its named ports.</summary>
    private static Endpoint? InClusterPod(RenderedOverlay rendered, string ns, string component, IPAddress address) =>
        rendered.All<V1StatefulSet>().Select(s => s.Spec.Template)
            .Where(t => t.Metadata.Labels.TryGetValue("app.kubernetes.io/component", out var c) && c == component)
            .Select(t => new Endpoint(ns, new Dictionary<string, string>(t.Metadata.Labels), address,
                t.Spec.Containers.SelectMany(c => c.Ports ?? []).ToDictionary(p => p.Name, p => p.ContainerPort)))
            .SingleOrDefault();

    private static async Task<(NetworkPolicyModel Model, Endpoint Server)> ServerAsync(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var ns = FirstSyncCheck.NamespaceOf(rendered.Manifests);
        var template = rendered.Server.Spec.Template;
        var ports = template.Spec.Containers.SelectMany(c => c.Ports ?? []).ToDictionary(p => p.Name, p => p.ContainerPort);
        return (new NetworkPolicyModel(rendered.ManifestsOf("NetworkPolicy"), ns), new Endpoint(ns, new Dictionary<string, string>(template.Metadata.Labels), IPAddress.Parse("10.42.2.2"), ports));
    }

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);
}
