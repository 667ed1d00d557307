using Keepsake.Deploy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Deploy.Tests;

/// <summary>Each overlay, read in the order Argo CD applies it (<see cref="ArgoCdSyncOrder"/>), comes up on an empty cluster.</summary>
public sealed class FirstSyncTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task On_an_empty_cluster_everything_a_workload_references_exists_before_it_or_is_a_documented_prerequisite(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var steps = ArgoCdSyncOrder.Order(rendered.Manifests);
        var prerequisites = FirstSyncCheck.PrerequisitesIn(FirstSyncCheck.NamespaceOf(rendered.Manifests), await File.ReadAllTextAsync(Repository.PathOf("deploy", "README.md")));
        output.WriteLine(FirstSyncCheck.Table(steps));
        output.WriteLine($"prerequisites: {string.Join(", ", prerequisites)}");

        var problems = FirstSyncCheck.Problems(steps, prerequisites);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task No_secret_is_referenced_as_optional_so_a_missing_one_stops_the_pod_from_starting(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        var optional = rendered.Manifests.SelectMany(m => ObjectReferences.Of(m).Where(r => r.Kind == "Secret" && r.Optional)
            .Select(r => $"{m["kind"]}/{m["metadata"]!["name"]} {r.Field} -> {r.Id}"));

        Assert.Empty(optional);
    }

    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task A_workload_an_autoscaler_targets_leaves_its_replica_count_to_the_autoscaler(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        var fought = rendered.ManifestsOf("HorizontalPodAutoscaler").Select(h => h["spec"]!["scaleTargetRef"]!)
            .Select(t => rendered.Manifests.Single(m => m["kind"]!.GetValue<string>() == t["kind"]!.GetValue<string>() && m["metadata"]!["name"]!.GetValue<string>() == t["name"]!.GetValue<string>()))
            .Where(w => w["spec"]!["replicas"] is not null)
            .Select(w => $"{w["kind"]}/{w["metadata"]!["name"]} sets spec.replicas {w["spec"]!["replicas"]}");

        Assert.Empty(fought);
    }

    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task Every_namespace_enforces_the_restricted_pod_security_standard(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        var namespaces = rendered.ManifestsOf("Namespace").ToList();

        Assert.NotEmpty(namespaces);
        Assert.All(namespaces, n => Assert.Equal("restricted", n["metadata"]!["labels"]?["pod-security.kubernetes.io/enforce"]?.GetValue<string>()));
    }

    [Fact]
    public void The_model_of_argo_cd_finds_a_PreSync_hook_that_needs_an_object_of_the_Sync_phase()
    {
        var manifests = YamlJson.Documents("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: app}
            ---
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata: {name: db, annotations: {argocd.argoproj.io/sync-wave: "1"}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, annotations: {argocd.argoproj.io/hook: PreSync}}
            spec: {template: {spec: {serviceAccountName: app, containers: [{name: m, env: [{name: P, valueFrom: {secretKeyRef: {name: db-app, key: password}}}]}]}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, annotations: {argocd.argoproj.io/sync-wave: "1"}}
            spec: {template: {spec: {containers: [{name: w, envFrom: [{secretRef: {name: db-app}}, {secretRef: {name: by-hand}}, {configMapRef: {name: missing}}]}]}}}
            """);

        var problems = FirstSyncCheck.Problems(ArgoCdSyncOrder.Order(manifests), new HashSet<string> { "Secret/by-hand" });

        Assert.Equal(
            [
                "Job/migrate (PreSync wave 0) serviceAccountName needs ServiceAccount/app, which is applied at Sync wave 0, not before",
                "Job/migrate (PreSync wave 0) containers[m].env[P].secretKeyRef needs Secret/db-app, which is made by Cluster/db (Sync wave 1) once healthy, which Argo CD waits for only before a later wave",
                "Deployment/web (Sync wave 1) containers[w].envFrom.secretRef needs Secret/db-app, which is made by Cluster/db (Sync wave 1) once healthy, which Argo CD waits for only before a later wave",
                "Deployment/web (Sync wave 1) containers[w].envFrom.configMapRef needs ConfigMap/missing, which is made by nothing in the overlay and deploy/README.md gives no command that creates it",
            ],
            problems);
    }
}
