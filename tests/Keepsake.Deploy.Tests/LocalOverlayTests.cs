using System.Net;
using System.Text.RegularExpressions;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>The local stage (a kind cluster on a developer's machine): staging's shape, a laptop's size.</summary>
public sealed partial class LocalOverlayTests
{
    [Fact]
    public async Task Local_runs_postgres_s3_and_redis_inside_the_cluster_in_the_keepsake_local_namespace()
    {
        var rendered = await RenderedOverlay.RenderAsync("local");
        var settings = Assert.Single(rendered.All<V1ConfigMap>()).Data;

        Assert.Equal("keepsake-local", Assert.Single(rendered.All<V1Namespace>()).Metadata.Name);
        var service = new Uri(settings["KEEPSAKE_Storage__S3__ServiceUrl"]);
        Assert.Equal(Uri.UriSchemeHttp, service.Scheme);
        Assert.Equal("true", settings["KEEPSAKE_Storage__S3__ForcePathStyle"]);
        Assert.Equal((service.Host, service.Port), ServiceAddress(rendered, "object-store"));
        var connection = rendered.Server.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "KEEPSAKE_Database__ConnectionString").Value;
        Assert.Equal((ConnectionHost().Match(connection).Groups[1].Value, 5432), ServiceAddress(rendered, "database"));
        Assert.Equal("keepsake-redis:6379", settings["KEEPSAKE_Cache__Redis"]);
        // Their data outlives a redeploy, as the photos must outlive the rows that point at them.
        Assert.All(rendered.All<V1StatefulSet>(), s => Assert.Equal("data", Assert.Single(s.Spec.VolumeClaimTemplates).Metadata.Name));
    }

    [Fact]
    public async Task Local_makes_its_bucket_before_the_migration_and_waits_for_the_database_without_sync_waves()
    {
        var rendered = await RenderedOverlay.RenderAsync("local");
        var steps = ArgoCdSyncOrder.Order(rendered.Manifests);
        var settings = Assert.Single(rendered.All<V1ConfigMap>());

        var bucket = rendered.Single<V1Job>("keepsake-bucket");
        var script = string.Join('\n', bucket.Spec.Template.Spec.Containers.Single().Args);
        Assert.Contains("mc mb --ignore-existing \"local/$BUCKET\"", script, StringComparison.Ordinal);
        var bucketName = bucket.Spec.Template.Spec.Containers.Single().Env.Single(e => e.Name == "BUCKET").ValueFrom.ConfigMapKeyRef;
        Assert.Equal((settings.Metadata.Name, "KEEPSAKE_Storage__S3__Bucket"), (bucketName.Name, bucketName.Key));
        Assert.True(ArgoCdSyncOrder.HealthyBefore(steps.Single(s => s.Id == "Job/keepsake-bucket"), steps.Single(s => s.Id == "Job/keepsake-migrate")));
        // kubectl apply and Tilt apply everything at once: the migration waits for PostgreSQL itself.
        var wait = Assert.Single(rendered.Single<V1Job>("keepsake-migrate").Spec.Template.Spec.InitContainers);
        Assert.Contains("pg_isready -h keepsake-postgres", wait.Command.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_is_one_small_replica_on_http_keepsake_localhost_running_the_dev_image()
    {
        var rendered = await RenderedOverlay.RenderAsync("local");

        Assert.Null(rendered.Server.Spec.Replicas);
        Assert.Empty(rendered.All<V2HorizontalPodAutoscaler>());
        var requests = rendered.Server.Spec.Template.Spec.Containers.Single().Resources.Requests;
        Assert.True(requests["cpu"].ToDecimal() <= 0.1m && requests["memory"].ToInt64() <= 256L * 1024 * 1024, "the server asks a laptop for more than it needs");
        var ingress = Assert.Single(rendered.All<V1Ingress>());
        Assert.Equal("keepsake.localhost", Assert.Single(ingress.Spec.Rules).Host);
        Assert.Null(ingress.Spec.Tls);
        Assert.DoesNotContain("cert-manager.io/cluster-issuer", ingress.Metadata.Annotations?.Keys ?? []);
        Assert.Equal("nginx", ingress.Spec.IngressClassName);
        Assert.All(rendered.Containers().Where(c => c.Container.Image.Contains("/keepsake", StringComparison.Ordinal)), c => Assert.Equal("localhost/keepsake:dev", c.Container.Image));
    }

    [Fact]
    public async Task Only_keepsakes_pods_reach_the_local_database_and_object_store()
    {
        var rendered = await RenderedOverlay.RenderAsync("local");
        var model = new NetworkPolicyModel(rendered.ManifestsOf("NetworkPolicy"), "keepsake-local");
        var server = new Endpoint("keepsake-local", new Dictionary<string, string>(rendered.Server.Spec.Template.Metadata.Labels), IPAddress.Parse("10.244.1.2"));
        var stranger = new Endpoint("default", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "keepsake" }, IPAddress.Parse("10.244.1.3"));
        var redis = new Endpoint("keepsake-local", new Dictionary<string, string> { ["app.kubernetes.io/component"] = "cache" }, IPAddress.Parse("10.244.1.4"));

        foreach (var (component, port) in new[] { ("database", 5432), ("object-store", 9000) })
        {
            var template = rendered.All<V1StatefulSet>().Single(s => s.Spec.Template.Metadata.Labels["app.kubernetes.io/component"] == component).Spec.Template;
            var pod = new Endpoint("keepsake-local", new Dictionary<string, string>(template.Metadata.Labels), IPAddress.Parse("10.244.2.2"),
                template.Spec.Containers.Single().Ports.ToDictionary(p => p.Name, p => p.ContainerPort));
            Assert.True(model.Allows(server, pod, port), $"the server cannot reach the {component}");
            Assert.False(model.Allows(stranger, pod, port), $"a pod of another namespace reaches the {component}");
            Assert.False(model.Allows(redis, pod, port), $"a pod of the namespace that is not Keepsake's reaches the {component}");
        }
    }

    [Fact]
    public void The_images_the_local_overlay_adds_are_pinned_by_digest_with_their_tag_in_the_comment_above()
    {
        var files = Directory.GetFiles(Repository.PathOf("deploy", "k8s", "overlays", "local"), "*.yaml");
        var images = 0;

        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var image = ImageLine().Match(lines[i]);
                if (!image.Success)
                {
                    continue;
                }
                // The same rule as the Containerfile's base images (DependencyPinningTests): name:tag@sha256:<64 hex>, tag above.
                var pinned = PinnedImage().Match(image.Groups[1].Value);
                Assert.True(pinned.Success, $"{Path.GetFileName(file)}:{i + 1}: {image.Groups[1].Value} is not pinned as name:tag@sha256:<64 hex>");
                var tag = $"{pinned.Groups["name"].Value}:{pinned.Groups["tag"].Value}";
                Assert.StartsWith($"# {tag}", lines[i - 1].Trim(), StringComparison.Ordinal);
                images++;
            }
        }

        Assert.True(images >= 3, $"only {images} images found: postgres, minio and the bucket Job's client expected");
    }

    private static (string Host, int Port) ServiceAddress(RenderedOverlay rendered, string component)
    {
        var service = rendered.All<V1Service>().Single(s => s.Spec.Selector.TryGetValue("app.kubernetes.io/component", out var c) && c == component);
        return (service.Metadata.Name, Assert.Single(service.Spec.Ports).Port);
    }

    [GeneratedRegex(@"Host=([^;]+);")]
    private static partial Regex ConnectionHost();

    [GeneratedRegex(@"^\s*image:\s*(\S+)\s*$")]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"^[a-z0-9.-]+/(library/)?(?<name>[a-z0-9._/-]+):(?<tag>[\w.-]+)@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();
}
