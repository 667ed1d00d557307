using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>
/// The pull request previews: the ApplicationSet's template, filled in for one pull request the way the
/// generator fills it, rendered with the kustomize overrides Argo CD applies to the preview overlay.
/// </summary>
public sealed partial class PreviewEnvironmentTests
{
    /// <summary>What the pull request generator gives a template (Argo CD's Generators-Pull-Request docs).</summary>
    private static readonly Dictionary<string, string> PullRequest42 = new()
    {
        ["number"] = "42",
        ["branch"] = "feature/albums",
        ["branch_slug"] = "feature-albums",
        ["target_branch"] = "main",
        ["head_sha"] = "abcdef1234567890abcdef1234567890abcdef12",
        ["head_short_sha"] = "abcdef12",
        ["head_short_sha_7"] = "abcdef1",
        ["author"] = "someone",
    };

    public static async Task<IReadOnlyList<JsonObject>> ArgoCdManifestsAsync()
    {
        var rendered = await Repository.RunAsync("kubectl", ["kustomize", Repository.PathOf("deploy", "argocd")]);
        Assert.True(rendered.ExitCode == 0, rendered.Error);
        return YamlJson.Documents(rendered.Output);
    }

    [Fact]
    public async Task Pull_request_42_gets_its_own_restricted_namespace_its_commits_image_and_its_own_host()
    {
        var manifests = await ArgoCdManifestsAsync();
        var application = ApplicationFor(manifests, PullRequest42);
        var destination = application["spec"]!["destination"]!["namespace"]!.GetValue<string>();
        var preview = await RenderAsArgoCdDoesAsync(application);

        Assert.Equal("keepsake-pr-42", destination);
        Assert.Equal("abcdef1234567890abcdef1234567890abcdef12", application["spec"]!["source"]!["targetRevision"]!.GetValue<string>());
        var ns = Assert.Single(preview.All<V1Namespace>());
        Assert.Equal(destination, ns.Metadata.Name);
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.All(preview.Objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal(destination, o.Metadata.NamespaceProperty));
        Assert.All(preview.Containers(), c => Assert.Equal("ghcr.io/keepsake-photos/keepsake:pr-42-abcdef12", c.Container.Image));
        var ingress = Assert.Single(preview.All<V1Ingress>());
        Assert.Equal("pr-42.preview.example.org", Assert.Single(ingress.Spec.Rules).Host);
        Assert.Equal(["pr-42.preview.example.org"], Assert.Single(ingress.Spec.Tls).Hosts);
        Assert.Empty(FirstSyncCheck.Problems(ArgoCdSyncOrder.Order(preview.Manifests), new HashSet<string>()));
        // The project lets the Application deploy there.
        var project = manifests.Single(m => m["kind"]!.GetValue<string>() == "AppProject");
        Assert.Contains(project["spec"]!["destinations"]!.AsArray(), d => Regex.IsMatch(destination, "^" + Regex.Escape(d!["namespace"]!.GetValue<string>()).Replace(@"\*", ".*", StringComparison.Ordinal) + "$"));
    }

    [Fact]
    public async Task A_preview_is_one_small_sqlite_replica_with_nothing_left_behind_when_its_application_is_deleted()
    {
        var manifests = await ArgoCdManifestsAsync();
        var application = ApplicationFor(manifests, PullRequest42);
        var preview = await RenderAsArgoCdDoesAsync(application);
        var settings = Assert.Single(preview.All<V1ConfigMap>()).Data;

        Assert.Equal(1, preview.Server.Spec.Replicas);
        Assert.Equal("Recreate", preview.Server.Spec.Strategy.Type);
        Assert.Equal("sqlite", settings["KEEPSAKE_Database__Provider"]);
        Assert.Empty(preview.All<V1Job>());
        Assert.Empty(preview.All<V1CronJob>());
        Assert.Empty(preview.All<V2HorizontalPodAutoscaler>());
        Assert.Empty(preview.All<V1PersistentVolumeClaim>());
        Assert.Single(preview.All<V1Deployment>());
        Assert.True(preview.Server.Spec.Template.Spec.Containers.Single().Resources.Limits["memory"].ToInt64() <= 512L * 1024 * 1024);
        // Deleting the Application deletes what it made, its Namespace included (it is one of its objects).
        Assert.Contains("resources-finalizer.argocd.argoproj.io", application["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.DoesNotContain("CreateNamespace=true", (application["spec"]!["syncPolicy"]!["syncOptions"] as JsonArray ?? []).Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public async Task The_template_uses_only_parameters_the_pull_request_generator_provides()
    {
        var applicationSet = (await ArgoCdManifestsAsync()).Single(m => m["kind"]!.GetValue<string>() == "ApplicationSet");

        var used = Parameter().Matches(applicationSet["spec"]!["template"]!.ToJsonString()).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("number", used);
        Assert.All(used, p => Assert.Contains(p, PullRequest42.Keys));
        Assert.NotNull(applicationSet["spec"]!["generators"]![0]!["pullRequest"]!["github"]);
    }

    /// <summary>The ApplicationSet's template with the generator's values in (Go templates: <c>{{.name}}</c>).</summary>
    private static JsonObject ApplicationFor(IReadOnlyList<JsonObject> manifests, IReadOnlyDictionary<string, string> pullRequest)
    {
        var applicationSet = manifests.Single(m => m["kind"]!.GetValue<string>() == "ApplicationSet");
        var filled = Parameter().Replace(applicationSet["spec"]!["template"]!.ToJsonString(), m => pullRequest[m.Groups[1].Value]);
        return JsonNode.Parse(filled)!.AsObject();
    }

    /// <summary>
    /// What Argo CD does with a kustomize source's overrides: in a copy of the repository it runs
    /// <c>kustomize edit set namespace</c> and <c>kustomize edit set image</c> in the source path and adds
    /// the patches to its kustomization, then builds it. Here the same edits are made to a copy of deploy/k8s.
    /// </summary>
    private static async Task<RenderedOverlay> RenderAsArgoCdDoesAsync(JsonObject application)
    {
        var source = application["spec"]!["source"]!;
        var overrides = source["kustomize"]!;
        var copy = Directory.CreateTempSubdirectory("keepsake-preview-");
        try
        {
            CopyFolder(Repository.PathOf("deploy", "k8s"), Path.Combine(copy.FullName, "deploy", "k8s"));
            var path = Path.Combine([copy.FullName, .. source["path"]!.GetValue<string>().Split('/')]);
            var file = Path.Combine(path, "kustomization.yaml");
            var kustomization = YamlJson.Documents(await File.ReadAllTextAsync(file)).Single();
            kustomization["namespace"] = overrides["namespace"]!.DeepClone();
            foreach (var image in overrides["images"]!.AsArray().Select(i => i!.GetValue<string>()))
            {
                var (name, reference) = (image.Split('=')[0], image.Split('=')[1]);
                var entry = kustomization["images"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == name)!;
                entry["newName"] = reference[..reference.LastIndexOf(':')];
                entry["newTag"] = reference[(reference.LastIndexOf(':') + 1)..];
            }
            foreach (var patch in overrides["patches"]!.AsArray())
            {
                kustomization["patches"]!.AsArray().Add(patch!.DeepClone());
            }
            // JSON is YAML: kustomize reads it as it is.
            await File.WriteAllTextAsync(file, kustomization.ToJsonString());
            return await RenderedOverlay.RenderDirectoryAsync(application["metadata"]!["name"]!.GetValue<string>(), path);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"\{\{\s*\.(\w+)\s*\}\}")]
    private static partial Regex Parameter();
}
