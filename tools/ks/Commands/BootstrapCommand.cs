using System.CommandLine;
using Keepsake.Ks.Processes;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Commands;

/// <summary>
/// <c>ks bootstrap</c>: for local (and test, which deploys there), the prerequisites, then the kind cluster, its registry
/// and ingress controller; for staging and prod, only whether this kube config may do what ks does there.
/// </summary>
internal static class BootstrapCommand
{
    public static Command Create(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var command = new Command("bootstrap",
            "local: check podman, kind and kubectl (saying how to install what is missing), then make the kind cluster with Podman, a local registry " +
            "at localhost:5001, the ingress controller, and the overlay's Secrets with generated values (kept when there already). staging, prod: check with 'kubectl auth can-i' what ks needs there; nothing is changed.")
        {
            stage,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = StageArgument.Resolve(parse, stage, context);
            var runner = new Runner(context, parse.GetValue(dryRun));
            if (!chosen.Cluster.IsLocal)
            {
                return await CheckAccessAsync(context, runner, chosen.Cluster, cancellationToken);
            }
            var missing = Prerequisite.ReportMissing(context, Prerequisite.Podman, Prerequisite.Kind, Prerequisite.Kubectl);
            if (missing.Count > 0 && !runner.DryRun)
            {
                context.Error($"install {string.Join(", ", missing.Select(p => p.Program))} first (above: how), then run ks bootstrap again");
                return KsExit.Failed;
            }
            var exit = await runner.RunAsync(LocalCluster.Bootstrap(chosen.Cluster), cancellationToken);
            if (exit == KsExit.Done && !runner.DryRun)
            {
                context.Errors.WriteLine($"{chosen.Title}: the cluster is ready (context {chosen.Cluster.Context}); next: ks deploy {chosen.Name}, and ks hosts for {string.Join(", ", chosen.Hosts)}");
            }
            return exit;
        });
        return command;
    }

    /// <summary>Every check runs, so one answer lists all that is missing; a "no" fails the command.</summary>
    private static async Task<int> CheckAccessAsync(KsContext context, Runner runner, StageCluster cluster, CancellationToken cancellationToken)
    {
        string[][] checks =
        [
            ["get", "pods"],
            ["create", "pods/exec"],
            ["create", "pods/portforward"],
            ["get", "pods/log"],
        ];
        var plan = checks.Select(check => LocalCluster.KubectlIn(cluster, ["auth", "can-i", .. check])).ToList();
        if (cluster.ArgoApplication is not null)
        {
            plan.Add(LocalCluster.Kubectl(cluster, "auth", "can-i", "get", "applications.argoproj.io", "--namespace", "argocd"));
        }
        if (runner.DryRun)
        {
            return await runner.RunAsync(plan, cancellationToken);
        }
        var denied = 0;
        foreach (var check in plan)
        {
            context.Errors.WriteLine("$ " + check.Display);
            if (await runner.StartAsync(check, cancellationToken) != 0)
            {
                denied++;
            }
        }
        if (denied > 0)
        {
            context.Error($"{denied} of {plan.Count} checks were refused on context {cluster.Context}: ask the cluster's admins for that access (ks changes nothing there; Argo CD does)");
            return KsExit.Failed;
        }
        return KsExit.Done;
    }
}
