using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// An overlay rendered by <c>kubectl kustomize</c> and parsed strictly into the Kubernetes client's
/// typed objects: a field Kubernetes does not know fails the parse.
/// </summary>
public sealed class RenderedOverlay
{
    private static readonly Dictionary<string, Type> TypeMap = BuildTypeMap();

    private RenderedOverlay(string name, string yaml)
    {
        Name = name;
        Yaml = yaml;
        Objects = KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true);
        Manifests = YamlJson.Documents(yaml);
    }

    public string Name { get; }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    /// <summary>The same objects as JSON, for what the typed models do not cover (annotations by phase, custom resources' specs).</summary>
    public IReadOnlyList<JsonObject> Manifests { get; }

    public static Task<RenderedOverlay> RenderAsync(string name) => RenderDirectoryAsync(name, Repository.PathOf("deploy", "k8s", "overlays", name));

    public static async Task<RenderedOverlay> RenderDirectoryAsync(string name, string directory)
    {
        var rendered = await Repository.RunAsync("kubectl", ["kustomize", directory]);
        Assert.True(rendered.ExitCode == 0, $"kubectl kustomize {name} failed: {rendered.Error}");
        return new RenderedOverlay(name, rendered.Output);
    }

    public IEnumerable<JsonObject> ManifestsOf(string kind) => Manifests.Where(m => m["kind"]!.GetValue<string>() == kind);

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IMetadata<V1ObjectMeta> => All<T>().Single(o => o.Metadata.Name == name);

    public V1Deployment Server => Single<V1Deployment>("keepsake");

    /// <summary>Every pod template: the server's, Redis's, the migration Job's, the CronJobs', and local's database and object store.</summary>
    public IEnumerable<(string Owner, V1PodTemplateSpec Template)> PodTemplates() =>
        All<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template))
            .Concat(All<V1StatefulSet>().Select(s => ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template)))
            .Concat(All<V1Job>().Select(j => ($"Job/{j.Metadata.Name}", j.Spec.Template)))
            .Concat(All<V1CronJob>().Select(c => ($"CronJob/{c.Metadata.Name}", c.Spec.JobTemplate.Spec.Template)));

    public IEnumerable<(string Owner, V1Container Container)> Containers() =>
        PodTemplates().SelectMany(t => (t.Template.Spec.InitContainers ?? []).Concat(t.Template.Spec.Containers).Select(c => (t.Owner, c)));

    /// <summary>The client's own models, keyed the way the loader expects (group/version/kind), plus the CRDs the overlays use.</summary>
    private static Dictionary<string, Type> BuildTypeMap()
    {
        var map = typeof(V1Pod).Assembly.GetTypes()
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(t => t.Entity is not null && !t.Type.Name.EndsWith("List", StringComparison.Ordinal))
            .ToDictionary(
                t => string.IsNullOrEmpty(t.Entity!.Group) ? $"{t.Entity.ApiVersion}/{t.Entity.Kind}" : $"{t.Entity.Group}/{t.Entity.ApiVersion}/{t.Entity.Kind}",
                t => t.Type);
        foreach (var custom in new[] { "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/ScheduledBackup", "monitoring.coreos.com/v1/ServiceMonitor" })
        {
            map[custom] = typeof(CustomResource);
        }
        return map;
    }
}
