using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// What goes wrong on the first sync into an empty namespace: a reference to an object that Argo CD has
/// not applied (or, for what an operator makes, not seen healthy) before its user, and that is not a
/// prerequisite deploy/README.md gives the command for.
/// </summary>
public static partial class FirstSyncCheck
{
    public static IReadOnlyList<string> Problems(IReadOnlyList<SyncStep> steps, ISet<string> prerequisites)
    {
        var problems = new List<string>();
        foreach (var user in steps)
        {
            foreach (var reference in ObjectReferences.Of(user.Manifest))
            {
                var provider = steps.FirstOrDefault(s => s.Id == reference.Id);
                var maker = steps.FirstOrDefault(s => reference.Kind == "Secret" && ObjectReferences.SecretsMadeBy(s.Manifest).Contains(reference.Name));
                var problem = (provider, maker) switch
                {
                    ({ } p, _) when !ArgoCdSyncOrder.AppliedBefore(p, user) => $"is applied at {p.Place}, not before",
                    ({ }, _) => null,
                    (null, { } m) when !ArgoCdSyncOrder.HealthyBefore(m, user) => $"is made by {m} once healthy, which Argo CD waits for only before a later wave",
                    (null, { }) => null,
                    _ when prerequisites.Contains(reference.Id) => null,
                    _ => "is made by nothing in the overlay and deploy/README.md gives no command that creates it",
                };
                if (problem is not null)
                {
                    problems.Add($"{user} {reference.Field} needs {reference.Id}, which {problem}");
                }
            }
        }
        return problems;
    }

    /// <summary>The objects deploy/README.md says how to create by hand, per namespace: <c>kubectl -n NS create secret generic NAME</c>.</summary>
    public static ISet<string> PrerequisitesIn(string ns, string readme) =>
        PrerequisiteCommand().Matches(readme)
            .Where(m => m.Groups["ns"].Value == ns)
            .Select(m => (m.Groups["what"].Value.StartsWith("secret", StringComparison.Ordinal) ? "Secret/" : "ConfigMap/") + m.Groups["name"].Value)
            .ToHashSet();

    public static string Table(IEnumerable<SyncStep> steps) =>
        string.Join('\n', steps.GroupBy(s => s.Place).Select(g => $"{g.Key}: {string.Join(", ", g.Select(s => s.Id))}"));

    public static string NamespaceOf(IEnumerable<JsonObject> manifests) =>
        manifests.Single(m => m["kind"]!.GetValue<string>() == "Namespace")["metadata"]!["name"]!.GetValue<string>();

    [GeneratedRegex(@"kubectl -n (?<ns>[a-z0-9-]+) create (?<what>secret generic|secret tls|configmap) (?<name>[a-z0-9.-]+)")]
    private static partial Regex PrerequisiteCommand();
}
