using Keepsake.Ks.Processes;

namespace Keepsake.Ks.Stages;

/// <summary>A program a command needs on this machine, and how to install it on each system.</summary>
internal sealed record Prerequisite(string Program, string Why, string Linux, string MacOs, string Windows)
{
    public static readonly Prerequisite Podman = new("podman", "runs the local cluster's node and the registry, and builds the image",
        "sudo apt-get install podman (Debian, Ubuntu) or sudo dnf install podman (Fedora)",
        "brew install podman, then podman machine init && podman machine start",
        "winget install RedHat.Podman, then podman machine init and podman machine start (WSL 2)");

    public static readonly Prerequisite Kind = new("kind", "makes the local cluster (with its Podman provider)",
        "ks tools (the pinned, checksummed kind into .deps/)",
        "ks tools, or brew install kind",
        "winget install Kubernetes.kind");

    public static readonly Prerequisite Kubectl = new("kubectl", "talks to every stage's cluster and applies the overlays",
        "ks tools (the pinned, checksummed kubectl into .deps/), or the Kubernetes apt repository's kubectl package",
        "ks tools, or brew install kubectl",
        "ks tools, or winget install Kubernetes.kubectl");

    /// <summary>Those not found in <c>.deps/</c> or on PATH, each reported on standard error with how to install it.</summary>
    public static IReadOnlyList<Prerequisite> ReportMissing(KsContext context, params Prerequisite[] needed)
    {
        var missing = needed.Where(p => ExecutableSearch.Find(context, p.Program) is null).ToList();
        foreach (var prerequisite in missing)
        {
            context.Errors.WriteLine($"missing: {prerequisite.Program}, which {prerequisite.Why}. Install it:");
            context.Errors.WriteLine($"  Linux:   {prerequisite.Linux}");
            context.Errors.WriteLine($"  macOS:   {prerequisite.MacOs}");
            context.Errors.WriteLine($"  Windows: {prerequisite.Windows}");
        }
        return missing;
    }
}
