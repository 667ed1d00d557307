using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>The custom resources (CloudNativePG, Prometheus Operator, Argo CD), checked against their operators' vendored CRD schemas.</summary>
public sealed partial class CustomResourceSchemaTests
{
    private static readonly Lazy<CrdSchema> Cluster = new(() => CrdSchema.Load("postgresql.cnpg.io_clusters.yaml", "postgresql.cnpg.io/v1", "Cluster"));
    private static readonly Lazy<CrdSchema> ScheduledBackup = new(() => CrdSchema.Load("postgresql.cnpg.io_scheduledbackups.yaml", "postgresql.cnpg.io/v1", "ScheduledBackup"));
    private static readonly Lazy<CrdSchema> ServiceMonitor = new(() => CrdSchema.Load("monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com/v1", "ServiceMonitor"));
    private static readonly Lazy<CrdSchema> ApplicationSet = new(() => CrdSchema.Load("argoproj.io_applicationsets.yaml.gz", "argoproj.io/v1alpha1", "ApplicationSet"));

    [Fact]
    public async Task Staging_archives_the_databases_wal_to_s3_with_credentials_from_a_secret_and_takes_a_nightly_base_backup()
    {
        var rendered = await RenderedOverlay.RenderAsync("staging");
        var cluster = Assert.Single(rendered.ManifestsOf("Cluster"));
        var scheduled = Assert.Single(rendered.ManifestsOf("ScheduledBackup"));

        Assert.Empty(Cluster.Value.Problems(cluster));
        Assert.Empty(ScheduledBackup.Value.Problems(scheduled));
        var backup = cluster["spec"]!["backup"]!;
        Assert.Matches(@"^[1-9][0-9]*[dwm]$", backup["retentionPolicy"]!.GetValue<string>());
        var store = backup["barmanObjectStore"]!;
        Assert.StartsWith("s3://keepsake-staging-", store["destinationPath"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("keepsake-db-backup", store["s3Credentials"]!["accessKeyId"]!["name"]!.GetValue<string>());
        Assert.Equal("keepsake-db-backup", store["s3Credentials"]!["secretAccessKey"]!["name"]!.GetValue<string>());
        Assert.Equal(cluster["metadata"]!["name"]!.GetValue<string>(), scheduled["spec"]!["cluster"]!["name"]!.GetValue<string>());
        Assert.Equal("barmanObjectStore", scheduled["spec"]!["method"]!.GetValue<string>());
        // robfig/cron with seconds: six fields
        Assert.Equal(6, scheduled["spec"]!["schedule"]!.GetValue<string>().Split(' ').Length);
    }

    [Fact]
    public async Task The_point_in_time_restore_in_the_readme_is_a_valid_cluster_recovering_staging_s_archive_to_a_target_time()
    {
        var readme = await File.ReadAllTextAsync(Repository.PathOf("deploy", "README.md"));
        var staging = Assert.Single((await RenderedOverlay.RenderAsync("staging")).ManifestsOf("Cluster"));
        var restore = Assert.Single(YamlBlocks().Matches(readme).SelectMany(m => YamlJson.Documents(m.Groups[1].Value)),
            d => d["spec"]?["bootstrap"]?["recovery"] is not null);

        Assert.Empty(Cluster.Value.Problems(restore));
        var recovery = restore["spec"]!["bootstrap"]!["recovery"]!;
        Assert.True(DateTimeOffset.TryParse(recovery["recoveryTarget"]!["targetTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var source = Assert.Single(restore["spec"]!["externalClusters"]!.AsArray(), c => c!["name"]!.GetValue<string>() == recovery["source"]!.GetValue<string>())!;
        var archive = source["barmanObjectStore"]!;
        var stagingArchive = staging["spec"]!["backup"]!["barmanObjectStore"]!;
        Assert.Equal(stagingArchive["destinationPath"]!.GetValue<string>(), archive["destinationPath"]!.GetValue<string>());
        Assert.Equal(staging["metadata"]!["name"]!.GetValue<string>(), archive["serverName"]!.GetValue<string>());
        Assert.NotEqual(staging["metadata"]!["name"]!.GetValue<string>(), restore["metadata"]!["name"]!.GetValue<string>());
    }

    // Not homelab, preview or local: their clusters have no Prometheus Operator, so no ServiceMonitor kind to apply.
    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task A_service_monitor_scrapes_the_management_port_of_the_servers_pods(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var monitor = Assert.Single(rendered.ManifestsOf("ServiceMonitor"));

        Assert.Empty(ServiceMonitor.Value.Problems(monitor));
        var selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var service = Assert.Single(rendered.ManifestsOf("Service"), s => selector.All(l => s["metadata"]!["labels"]?[l.Key]?.GetValue<string>() == l.Value!.GetValue<string>()));
        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;
        Assert.Equal("/metrics", endpoint["path"]!.GetValue<string>());
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == endpoint["port"]!.GetValue<string>())!;
        var serverPod = rendered.Server.Spec.Template;
        Assert.All(service["spec"]!["selector"]!.AsObject(), l => Assert.Equal(l.Value!.GetValue<string>(), serverPod.Metadata.Labels[l.Key]));
        var containerPort = serverPod.Spec.Containers.Single(c => c.Name == "keepsake").Ports.Single(p => p.Name == port["targetPort"]!.GetValue<string>());
        Assert.Equal(9464, containerPort.ContainerPort);
    }

    [Fact]
    public async Task The_pull_request_preview_application_set_is_valid_for_argo_cd()
    {
        var applicationSet = Assert.Single(await PreviewEnvironmentTests.ArgoCdManifestsAsync(), m => m["kind"]!.GetValue<string>() == "ApplicationSet");

        Assert.Empty(ApplicationSet.Value.Problems(applicationSet));
    }

    [Theory]
    [InlineData("Cluster", "/spec/backup/barmanObjectStore", "destinationPth", "\"s3://x/\"")]
    [InlineData("Cluster", "/spec", "instances", "\"two\"")]
    [InlineData("Cluster", "/spec/backup", "retentionPolicy", "\"30 days\"")]
    [InlineData("ScheduledBackup", "/spec", "schedul", "\"0 0 2 * * *\"")]
    [InlineData("ServiceMonitor", "/spec/endpoints/0", "interval", "30")]
    [InlineData("ServiceMonitor", "/spec", "endpoint", "[]")]
    public async Task A_misspelt_or_mistyped_field_breaks_the_schema(string kind, string parent, string field, string json)
    {
        var manifest = Assert.Single((await RenderedOverlay.RenderAsync("staging")).ManifestsOf(kind)).DeepClone().AsObject();
        var schema = kind switch { "Cluster" => Cluster.Value, "ScheduledBackup" => ScheduledBackup.Value, _ => ServiceMonitor.Value };
        Assert.Empty(schema.Problems(manifest));

        var target = parent.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode)manifest, (node, step) => int.TryParse(step, out var i) ? node[i]! : node[step]!);
        target[field] = JsonNode.Parse(json);

        Assert.NotEmpty(schema.Problems(manifest));
    }

    [Fact]
    public async Task A_misspelt_field_in_the_application_set_template_breaks_the_schema()
    {
        var applicationSet = Assert.Single(await PreviewEnvironmentTests.ArgoCdManifestsAsync(), m => m["kind"]!.GetValue<string>() == "ApplicationSet").DeepClone();

        applicationSet["spec"]!["template"]!["spec"]!["syncPolicy"]!["automatic"] = new JsonObject();

        Assert.NotEmpty(ApplicationSet.Value.Problems(applicationSet));
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlocks();
}
