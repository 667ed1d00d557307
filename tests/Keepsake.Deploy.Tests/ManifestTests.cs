using System.Text.RegularExpressions;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>The promises of deploy/k8s, checked on what kustomize really renders for each stage.</summary>
public sealed partial class ManifestTests
{
    public static TheoryData<string> Overlays => ["homelab", "staging", "prod", "preview", "local"];

    /// <summary>The stages on PostgreSQL, S3 and Redis, migrated by a Job, backed up by CronJobs: local is shaped like staging.</summary>
    public static TheoryData<string> ClusterStages => ["staging", "prod", "local"];

    /// <summary>
    /// The cluster stages that scale. Not local: kind has no metrics-server for an autoscaler to read, and a laptop
    /// runs one small replica (LocalOverlayTests).
    /// </summary>
    public static TheoryData<string> AutoscaledStages => ["staging", "prod"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_overlay_renders_into_typed_objects_in_its_own_namespace(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        var ns = Assert.Single(rendered.All<V1Namespace>()).Metadata.Name;
        Assert.All(rendered.Objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
        Assert.Single(rendered.All<V1Deployment>(), d => d.Metadata.Name == "keepsake");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_pod_runs_as_non_root_on_a_read_only_root_without_privileges_and_within_resources(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        Assert.All(rendered.PodTemplates(), t =>
        {
            Assert.True(t.Template.Spec.SecurityContext?.RunAsNonRoot, $"{t.Owner} must run as non-root");
            Assert.Equal("RuntimeDefault", t.Template.Spec.SecurityContext?.SeccompProfile?.Type);
        });
        Assert.All(rendered.Containers(), c =>
        {
            var security = c.Container.SecurityContext;
            Assert.True(security?.AllowPrivilegeEscalation == false, $"{c.Owner}/{c.Container.Name} must not escalate privileges");
            Assert.True(security?.ReadOnlyRootFilesystem == true, $"{c.Owner}/{c.Container.Name} must have a read-only root filesystem");
            Assert.Equal(["ALL"], security?.Capabilities?.Drop ?? []);
            Assert.True(c.Container.Resources?.Requests?.ContainsKey("cpu") == true, $"{c.Owner}/{c.Container.Name} requests no CPU");
            Assert.True(c.Container.Resources?.Requests?.ContainsKey("memory") == true, $"{c.Owner}/{c.Container.Name} requests no memory");
            Assert.True(c.Container.Resources?.Limits?.ContainsKey("memory") == true, $"{c.Owner}/{c.Container.Name} has no memory limit");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_server_is_probed_and_drains_before_it_stops(string overlay)
    {
        var pod = (await RenderedOverlay.RenderAsync(overlay)).Server.Spec.Template.Spec;
        var server = pod.Containers.Single(c => c.Name == "keepsake");

        Assert.Equal("/healthz/live", server.LivenessProbe.HttpGet.Path);
        Assert.Equal("/healthz/ready", server.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz/live", server.StartupProbe.HttpGet.Path);
        var preStop = server.Lifecycle.PreStop.Exec.Command;
        Assert.Equal("sleep", preStop[0]);
        // The host gives in-flight requests 30 s after SIGTERM; the grace period must cover the pause and that.
        Assert.True(pod.TerminationGracePeriodSeconds >= int.Parse(preStop[1], System.Globalization.CultureInfo.InvariantCulture) + 30,
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} does not cover the preStop pause and the 30 s drain");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_image_is_latest_or_untagged(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        Assert.All(rendered.Containers(), c =>
        {
            var image = c.Container.Image;
            Assert.Matches(TaggedImage(), image);
            Assert.DoesNotMatch(LatestTag(), image);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_disruption_budget_selects_exactly_the_servers_pods(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var selector = Assert.Single(rendered.All<V1PodDisruptionBudget>()).Spec.Selector.MatchLabels;

        bool Selects(V1PodTemplateSpec template) => selector.All(l => template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

        Assert.True(Selects(rendered.Server.Spec.Template), "the PodDisruptionBudget does not select the server's pods");
        Assert.All(rendered.PodTemplates().Where(t => t.Owner != "Deployment/keepsake"), t => Assert.False(Selects(t.Template), $"the PodDisruptionBudget also selects {t.Owner}"));
        Assert.Equal(rendered.Server.Spec.Selector.MatchLabels, rendered.Server.Spec.Selector.MatchLabels.Where(l => rendered.Server.Spec.Template.Metadata.Labels[l.Key] == l.Value));
    }

    [Theory]
    [MemberData(nameof(ClusterStages))]
    public async Task Cluster_stages_migrate_in_a_Sync_hook_between_the_database_and_the_servers_with_a_deadline_and_start_pods_only_on_a_migrated_schema(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var steps = ArgoCdSyncOrder.Order(rendered.Manifests);

        var wait = Assert.Single(rendered.Server.Spec.Template.Spec.InitContainers);
        Assert.Equal(["migrate", "--wait"], wait.Args.Take(2));
        var job = rendered.Single<V1Job>("keepsake-migrate");
        Assert.Equal(["migrate"], job.Spec.Template.Spec.Containers.Single().Args);
        // A hook, so that each sync makes the Job anew (a Job's pod template cannot be changed in place).
        Assert.Equal("Sync", job.Metadata.Annotations["argocd.argoproj.io/hook"]);
        Assert.Equal("BeforeHookCreation", job.Metadata.Annotations["argocd.argoproj.io/hook-delete-policy"]);
        var migrate = steps.Single(s => s.Id == "Job/keepsake-migrate");
        // What the migration needs: the database (a CloudNativePG Cluster, or local's StatefulSets), its settings, its account, and the bucket.
        Assert.All(steps.Where(s => s.Kind is "Cluster" or "StatefulSet" or "ConfigMap" or "ServiceAccount" || s.Id == "Job/keepsake-bucket"),
            s => Assert.True(ArgoCdSyncOrder.HealthyBefore(s, migrate), $"{s} is not ready before {migrate}"));
        Assert.All(steps.Where(s => s.Kind is "Deployment" or "CronJob" && s.Name != "keepsake-redis"), s => Assert.True(ArgoCdSyncOrder.HealthyBefore(migrate, s), $"{s} starts before {migrate} has finished"));
        Assert.InRange(job.Spec.BackoffLimit ?? 6, 0, 3);
        Assert.NotNull(job.Spec.ActiveDeadlineSeconds);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("RollingUpdate", rendered.Server.Spec.Strategy.Type);
        Assert.Equal("0", rendered.Server.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
    }

    [Theory]
    [MemberData(nameof(ClusterStages))]
    public async Task Cluster_stages_run_on_postgres_s3_and_redis_with_backups_as_cron_jobs(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var settings = Assert.Single(rendered.All<V1ConfigMap>(), c => c.Metadata.Name.StartsWith("keepsake-settings", StringComparison.Ordinal)).Data;

        Assert.Equal("postgres", settings["KEEPSAKE_Database__Provider"]);
        Assert.Equal("s3", settings["KEEPSAKE_Storage__Provider"]);
        Assert.Contains("keepsake-redis", settings["KEEPSAKE_Cache__Redis"], StringComparison.Ordinal);
        Assert.Equal("false", settings["KEEPSAKE_Backups__Schedule__Enabled"]);
        Assert.Equal("false", settings["KEEPSAKE_Fsck__Schedule__Enabled"]);
        Assert.Equal("false", settings["KEEPSAKE_Trash__Purge__Enabled"]);
        // The local cluster has no second store to copy the photos to (see its overlay).
        string[] photos = overlay == "local" ? [] : ["backup photos"];
        Assert.Equal(
            ["backup create --reason scheduled", .. photos, "backup prune", "backup scrub", "backup verify latest", "fsck --repair", "trash purge"],
            rendered.All<V1CronJob>().Select(c => string.Join(' ', c.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Args)).Order());
        Assert.All(rendered.All<V1CronJob>(), c => Assert.Equal("Forbid", c.Spec.ConcurrencyPolicy));
    }

    [Theory]
    [MemberData(nameof(AutoscaledStages))]
    public async Task Autoscaled_stages_run_at_least_two_replicas_under_an_autoscaler(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);

        var autoscaler = Assert.Single(rendered.All<V2HorizontalPodAutoscaler>());
        Assert.Equal("keepsake", autoscaler.Spec.ScaleTargetRef.Name);
        Assert.True(autoscaler.Spec.MinReplicas >= 2);
    }

    [Theory]
    [MemberData(nameof(ClusterStages))]
    public async Task The_fsck_cron_job_repairs_hourly_like_the_backup_jobs_and_fails_without_retrying_when_problems_are_left(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var fsck = rendered.Single<V1CronJob>("keepsake-fsck").Spec;
        var backup = rendered.Single<V1CronJob>("keepsake-backup-create").Spec;
        var pod = fsck.JobTemplate.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var backupContainer = backup.JobTemplate.Spec.Template.Spec.Containers.Single();

        Assert.Equal(["fsck", "--repair"], container.Args);
        Assert.Matches(@"^\d+ \* \* \* \*$", fsck.Schedule);
        Assert.Equal("Forbid", fsck.ConcurrencyPolicy);
        Assert.NotNull(fsck.JobTemplate.Spec.ActiveDeadlineSeconds);
        Assert.Equal("Never", pod.RestartPolicy);
        // Same settings, database and secrets as every other verb of the stage.
        Assert.Equal(Describe(backupContainer.EnvFrom), Describe(container.EnvFrom));
        Assert.Equal(Describe(backupContainer.Env), Describe(container.Env));
        Assert.Equal(Describe(backup.JobTemplate.Spec.Template.Spec.SecurityContext), Describe(pod.SecurityContext));
        Assert.Equal(Describe(backupContainer.VolumeMounts), Describe(container.VolumeMounts));
        // Exit 1 is "problems left that a repair cannot fix": running it again would find the same.
        var rule = Assert.Single(fsck.JobTemplate.Spec.PodFailurePolicy.Rules);
        Assert.Equal("FailJob", rule.Action);
        Assert.Equal(("fsck", "In"), (rule.OnExitCodes.ContainerName, rule.OnExitCodes.OperatorProperty));
        Assert.Equal([1], rule.OnExitCodes.Values);
    }

    private static string Describe(object? value) => value is null ? "none" : k8s.KubernetesJson.Serialize(value);

    [Fact]
    public async Task Prod_runs_at_least_three_replicas_spread_across_nodes()
    {
        var rendered = await RenderedOverlay.RenderAsync("prod");

        Assert.True(Assert.Single(rendered.All<V2HorizontalPodAutoscaler>()).Spec.MinReplicas >= 3);
        var spread = Assert.Single(rendered.Server.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", spread.PodAffinityTerm.TopologyKey);
        Assert.Equal(rendered.Server.Spec.Selector.MatchLabels, spread.PodAffinityTerm.LabelSelector.MatchLabels);
    }

    [Fact]
    public async Task Homelab_runs_one_sqlite_replica_on_a_local_volume_and_stops_it_before_starting_the_next()
    {
        var rendered = await RenderedOverlay.RenderAsync("homelab");
        var settings = Assert.Single(rendered.All<V1ConfigMap>()).Data;

        Assert.Equal(1, rendered.Server.Spec.Replicas);
        Assert.Equal("Recreate", rendered.Server.Spec.Strategy.Type);
        Assert.Null(rendered.Server.Spec.Strategy.RollingUpdate);
        Assert.Equal("sqlite", settings["KEEPSAKE_Database__Provider"]);
        Assert.StartsWith("Data Source=/data/", settings["KEEPSAKE_Database__ConnectionString"], StringComparison.Ordinal);
        var claim = Assert.Single(rendered.All<V1PersistentVolumeClaim>());
        Assert.Equal("local-path", claim.Spec.StorageClassName);
        Assert.Equal(claim.Metadata.Name, rendered.Server.Spec.Template.Spec.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim.ClaimName);
        // The server migrates its own SQLite file and runs backups and fsck in process: no Job, no CronJob, no Redis.
        Assert.Empty(rendered.All<V1Job>());
        Assert.Empty(rendered.All<V1CronJob>());
        Assert.Empty(rendered.Server.Spec.Template.Spec.InitContainers ?? []);
        Assert.Single(rendered.All<V1Deployment>());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_secret_value_is_committed_and_every_secret_referenced_is_made_in_the_cluster(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        // keepsake-secrets and keepsake-db-backup are made by the operator (deploy/README.md; on local by the bootstrap),
        // keepsake-db-app by CloudNativePG (on local by the bootstrap), keepsake-tls by cert-manager.
        string[] madeInTheCluster = ["keepsake-secrets", "keepsake-db-backup", "keepsake-db-app", "keepsake-tls"];

        Assert.Empty(rendered.All<V1Secret>());
        var referenced = rendered.Containers().SelectMany(c =>
            (c.Container.EnvFrom ?? []).Select(e => e.SecretRef?.Name)
            .Concat((c.Container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef?.Name)))
            .Concat(rendered.All<V1Ingress>().SelectMany(i => (i.Spec.Tls ?? []).Select(t => t.SecretName)))
            .Concat(rendered.Manifests.SelectMany(ObjectReferences.Of).Where(r => r.Kind == "Secret").Select(r => r.Name))
            .OfType<string>().Distinct();
        Assert.All(referenced, name => Assert.Contains(name, madeInTheCluster));
        Assert.All(Directory.EnumerateFiles(Repository.PathOf("deploy"), "*.yaml", SearchOption.AllDirectories),
            file => Assert.DoesNotMatch(CommittedSecret(), File.ReadAllText(file)));
    }

    [Fact]
    public async Task Argo_cd_syncs_staging_from_main_and_prod_from_what_promotion_publishes()
    {
        var rendered = await Repository.RunAsync("kubectl", ["kustomize", Repository.PathOf("deploy", "argocd")]);
        Assert.Equal(0, rendered.ExitCode);

        Assert.Matches(StageSource("staging", "main"), rendered.Output);
        Assert.Matches(StageSource("prod", "deploy/prod"), rendered.Output);
        // the two stages and the template of the pull request previews
        Assert.Equal(3, AutomatedSync().Count(rendered.Output));
    }

    [GeneratedRegex(@"^[^:@\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*)(@sha256:[0-9a-f]{64})?$|^[^@\s]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex TaggedImage();

    [GeneratedRegex(@":latest(@|$)")]
    private static partial Regex LatestTag();

    [GeneratedRegex(@"kind:\s*Secret\b")]
    private static partial Regex CommittedSecret();

    [GeneratedRegex(@"automated:\s*\n\s*prune: true\s*\n\s*selfHeal: true")]
    private static partial Regex AutomatedSync();

    private static Regex StageSource(string stage, string revision) =>
        new($@"name: keepsake-{stage}\n(.*\n)*?\s*path: deploy/k8s/overlays/{stage}\n\s*repoURL: \S+\n\s*targetRevision: {Regex.Escape(revision)}\n");
}
