using System.CommandLine;
using Keepsake.Ks.Processes;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Commands;

/// <summary>
/// <c>ks deploy</c>: for local and test, build the image with Podman, load it into the kind cluster and apply the local
/// overlay with it. staging and prod are refused: they change only through Git.
/// </summary>
internal static class DeployCommand
{
    /// <summary>Where <c>--prebuilt</c> publishes the server, the folder the Containerfile's <c>prebuilt</c> stage copies.</summary>
    public const string PublishFolder = "artifacts/container-publish";

    public const string ImageArchive = "artifacts/ks/keepsake-image.tar";

    public static Command Create(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var all = new Option<bool>("--all") { Description = "Also wait for every other app of the stage (database, cache, S3 server) to be rolled out." };
        var prebuilt = new Option<bool>("--prebuilt")
        {
            Description = $"Publish the server on this machine into {PublishFolder} and build the image's 'prebuilt' target around it, without the SDK image and the test stage.",
        };
        var baseImage = new Option<string?>("--base-image") { Description = "The image the runtime stage starts from instead of the pinned runtime-deps (for machines that cannot pull it)." };
        var command = new Command("deploy",
            "local, test: build the image with Podman (deploy/Containerfile), load it into the kind cluster and apply deploy/k8s/overlays/local with it. " +
            "staging, prod: refused; they change only through Git (Argo CD syncs staging from main, prod through .github/workflows/promote.yml).")
        {
            stage, all, prebuilt, baseImage,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = StageArgument.Resolve(parse, stage, context);
            if (chosen.ChangesOnlyThroughGit is { } why)
            {
                context.Error($"ks deploy does not change {chosen.Title}: it changes only through Git. To deploy, {why}");
                return KsExit.Refused;
            }
            var runner = new Runner(context, parse.GetValue(dryRun));
            var revision = await GitRevision.OfAsync(context, cancellationToken);
            var plan = Plan(chosen.Cluster, revision, parse.GetValue(all), parse.GetValue(prebuilt), parse.GetValue(baseImage));
            if (!runner.DryRun)
            {
                Directory.CreateDirectory(Path.Combine(context.RepositoryRoot, Path.GetDirectoryName(ImageArchive)!));
            }
            return await runner.RunAsync(plan, cancellationToken);
        });
        return command;
    }

    /// <summary>The image is tagged <c>local-</c> and the commit's first 12 characters, and every container of the app is set to it.</summary>
    public static IReadOnlyList<Invocation> Plan(StageCluster cluster, string revision, bool all, bool prebuilt, string? baseImage)
    {
        var version = "local-" + revision[..Math.Min(12, revision.Length)];
        var image = $"localhost/keepsake:{version}";
        var plan = new List<Invocation>();
        if (prebuilt)
        {
            plan.Add(new("dotnet", "publish", "src/Keepsake", "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:DebugType=none", "-o", PublishFolder));
        }
        List<string> build = ["build", "-f", "deploy/Containerfile"];
        if (prebuilt)
        {
            build.AddRange(["--target", "prebuilt"]);
        }
        if (baseImage is not null)
        {
            build.AddRange(["--build-context", $"runtime-base=container-image://{baseImage}"]);
        }
        build.AddRange(["--build-arg", $"VERSION={version}", "--build-arg", $"REVISION={revision}", "-t", image, "."]);
        plan.Add(new("podman", build));
        plan.AddRange(LocalCluster.Load(image, ImageArchive));
        plan.Add(LocalCluster.Kubectl(cluster, "apply", "-k", cluster.Overlay));
        plan.Add(LocalCluster.KubectlIn(cluster, "set", "image", cluster.App.Workload, $"*={image}"));
        plan.Add(LocalCluster.KubectlIn(cluster, "rollout", "status", cluster.App.Workload, "--timeout=5m"));
        if (all)
        {
            plan.AddRange(cluster.Components.Skip(1).Select(c => LocalCluster.KubectlIn(cluster, "rollout", "status", c.Workload, "--timeout=5m")));
        }
        return plan;
    }
}
