using System.Text.Json.Nodes;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>An object one manifest needs by name: a pod's ServiceAccount, ConfigMaps, Secrets and claims, or a custom resource's Secrets and Cluster.</summary>
public sealed record ObjectReference(string Kind, string Name, bool Optional, string Field)
{
    public string Id => $"{Kind}/{Name}";
}

public static class ObjectReferences
{
    public static IEnumerable<ObjectReference> Of(JsonObject manifest)
    {
        var spec = manifest["spec"];
        return manifest["kind"]!.GetValue<string>() switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" or "Job" => OfPod(spec?["template"]?["spec"]),
            "CronJob" => OfPod(spec?["jobTemplate"]?["spec"]?["template"]?["spec"]),
            "Pod" => OfPod(spec),
            // CloudNativePG: every SecretKeySelector (barmanObjectStore credentials and the like).
            "Cluster" => SecretKeySelectors(spec, "spec"),
            "ScheduledBackup" or "Backup" => [new ObjectReference("Cluster", spec!["cluster"]!["name"]!.GetValue<string>(), false, "spec.cluster.name")],
            _ => [],
        };
    }

    /// <summary>The Secrets an object makes once it is healthy: CloudNativePG's Cluster makes <c>NAME-app</c> for its owner.</summary>
    public static IEnumerable<string> SecretsMadeBy(JsonObject manifest) =>
        manifest["kind"]!.GetValue<string>() == "Cluster" && manifest["apiVersion"]!.GetValue<string>().StartsWith("postgresql.cnpg.io/", StringComparison.Ordinal)
            ? [$"{manifest["metadata"]!["name"]!.GetValue<string>()}-app"]
            : [];

    private static IEnumerable<ObjectReference> OfPod(JsonNode? pod)
    {
        if (pod is null)
        {
            yield break;
        }
        if (pod["serviceAccountName"]?.GetValue<string>() is { } account && account != "default")
        {
            yield return new ObjectReference("ServiceAccount", account, false, "serviceAccountName");
        }
        foreach (var volume in Items(pod["volumes"]))
        {
            var name = volume["name"]!.GetValue<string>();
            if (volume["configMap"] is JsonObject configMap)
            {
                yield return Named("ConfigMap", configMap, "name", $"volumes[{name}].configMap");
            }
            if (volume["secret"] is JsonObject secret)
            {
                yield return Named("Secret", secret, "secretName", $"volumes[{name}].secret");
            }
            if (volume["persistentVolumeClaim"] is JsonObject claim)
            {
                yield return Named("PersistentVolumeClaim", claim, "claimName", $"volumes[{name}].persistentVolumeClaim");
            }
            foreach (var source in Items(volume["projected"]?["sources"]))
            {
                foreach (var (kind, key) in new[] { ("ConfigMap", "configMap"), ("Secret", "secret") })
                {
                    if (source[key] is JsonObject projected)
                    {
                        yield return Named(kind, projected, "name", $"volumes[{name}].projected.{key}");
                    }
                }
            }
        }
        foreach (var container in Items(pod["initContainers"]).Concat(Items(pod["containers"])))
        {
            var where = $"containers[{container["name"]!.GetValue<string>()}]";
            foreach (var source in Items(container["envFrom"]))
            {
                if (source["configMapRef"] is JsonObject configMap)
                {
                    yield return Named("ConfigMap", configMap, "name", $"{where}.envFrom.configMapRef");
                }
                if (source["secretRef"] is JsonObject secret)
                {
                    yield return Named("Secret", secret, "name", $"{where}.envFrom.secretRef");
                }
            }
            foreach (var variable in Items(container["env"]))
            {
                var from = variable["valueFrom"];
                if (from?["configMapKeyRef"] is JsonObject configMap)
                {
                    yield return Named("ConfigMap", configMap, "name", $"{where}.env[{variable["name"]}].configMapKeyRef");
                }
                if (from?["secretKeyRef"] is JsonObject secret)
                {
                    yield return Named("Secret", secret, "name", $"{where}.env[{variable["name"]}].secretKeyRef");
                }
            }
        }
    }

    private static IEnumerable<ObjectReference> SecretKeySelectors(JsonNode? node, string path) => node switch
    {
        JsonObject obj when obj.Count == 2 && obj["name"] is JsonValue name && obj["key"] is JsonValue => [new ObjectReference("Secret", name.GetValue<string>(), false, path)],
        JsonObject obj => obj.SelectMany(p => SecretKeySelectors(p.Value, $"{path}.{p.Key}")),
        JsonArray array => array.SelectMany((item, i) => SecretKeySelectors(item, $"{path}[{i}]")),
        _ => [],
    };

    private static ObjectReference Named(string kind, JsonObject reference, string nameField, string field) =>
        new(kind, reference[nameField]!.GetValue<string>(), reference["optional"] is JsonValue optional && optional.GetValue<bool>(), field);

    private static IEnumerable<JsonObject> Items(JsonNode? list) => (list as JsonArray ?? []).OfType<JsonObject>();
}
