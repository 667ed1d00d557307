using System.Globalization;
using System.Text.Json.Nodes;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>One rendered object at its place in Argo CD's sync: phase, then wave, then kind, then name.</summary>
public sealed record SyncStep(JsonObject Manifest, string Kind, string Name, string Phase, int Wave, int KindRank)
{
    public string Id => $"{Kind}/{Name}";

    public string Place => $"{Phase} wave {Wave}";

    public override string ToString() => $"{Id} ({Place})";
}

/// <summary>
/// The order in which Argo CD applies an Application's objects, as gitops-engine sorts its sync tasks
/// (<see href="https://github.com/argoproj/argo-cd/blob/37ee0097cf851bc2dd7665fc081bbce61a7e836e/gitops-engine/pkg/sync/sync_tasks.go"/>,
/// <c>syncTasks.Less</c> and <c>Sort</c>) and runs them: it applies one phase and wave at a time and goes on
/// to the next only when everything in it is synced and healthy (a Job: completed; a CloudNativePG
/// Cluster: its bundled health check, "Cluster in healthy state").
/// </summary>
public static class ArgoCdSyncOrder
{
    public const string HookAnnotation = "argocd.argoproj.io/hook";
    public const string WaveAnnotation = "argocd.argoproj.io/sync-wave";

    /// <summary>gitops-engine's <c>kindOrder</c>, copied from the file above (Helm's kind sorter); a kind not listed, such as a custom resource, comes last.</summary>
    public static readonly IReadOnlyList<string> KindOrder =
    [
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
        "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
        "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
        "APIService",
    ];

    private static readonly string[] Phases = ["PreSync", "Sync", "PostSync"];

    public static IReadOnlyList<SyncStep> Order(IEnumerable<JsonObject> manifests)
    {
        var steps = manifests.Select(Step).OfType<SyncStep>().ToList();
        steps.Sort(Compare);
        // Sort() then moves each Namespace in front of the first object in it, into that object's phase and wave.
        var namespaces = steps.Where(s => s.Kind == "Namespace").ToList();
        if (namespaces.Count > 0 && steps.Count > namespaces.Count)
        {
            var first = steps.First(s => s.Kind != "Namespace");
            steps.RemoveAll(namespaces.Contains);
            steps.InsertRange(0, namespaces.Select(n => n with { Phase = first.Phase, Wave = first.Wave }));
        }
        return steps;
    }

    /// <summary>Applied earlier in the same sync (same wave included: a wave is applied in kind order).</summary>
    public static bool AppliedBefore(SyncStep provider, SyncStep user) => Compare(provider, user) < 0;

    /// <summary>Healthy before the user is applied: only a whole earlier phase or wave is waited for.</summary>
    public static bool HealthyBefore(SyncStep provider, SyncStep user) =>
        (PhaseRank(provider.Phase), provider.Wave).CompareTo((PhaseRank(user.Phase), user.Wave)) < 0;

    private static int Compare(SyncStep a, SyncStep b) =>
        (PhaseRank(a.Phase), a.Wave, a.KindRank).CompareTo((PhaseRank(b.Phase), b.Wave, b.KindRank)) is var d and not 0
            ? d
            : string.CompareOrdinal(a.Name, b.Name);

    private static int PhaseRank(string phase) => Array.IndexOf(Phases, phase);

    private static SyncStep? Step(JsonObject manifest)
    {
        var kind = manifest["kind"]!.GetValue<string>();
        var annotations = manifest["metadata"]?["annotations"] as JsonObject;
        var hook = annotations?[HookAnnotation]?.GetValue<string>();
        // A hook of several phases runs in each; the earliest is where its references must already exist.
        var phase = hook is null ? "Sync" : hook.Split(',').Select(h => h.Trim()).OrderBy(PhaseRank).First();
        if (phase == "Skip")
        {
            return null;
        }
        if (!Phases.Contains(phase))
        {
            throw new InvalidOperationException($"{kind} has hook {hook}, which runs outside a sync");
        }
        var wave = int.Parse(annotations?[WaveAnnotation]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture);
        var rank = KindOrder.Contains(kind) ? KindOrder.ToList().IndexOf(kind) - KindOrder.Count : 0;
        return new SyncStep(manifest, kind, manifest["metadata"]!["name"]!.GetValue<string>(), phase, wave, rank);
    }
}
