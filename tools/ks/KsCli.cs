using System.CommandLine;
using Keepsake.Ks.Commands;

namespace Keepsake.Ks;

/// <summary>The ks commands, composed like the app's own verbs (<c>Keepsake.Cli.KeepsakeCli</c>).</summary>
internal static class KsCli
{
    /// <summary>Runs ks on the process's console.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Ctrl-C is for the process ks runs (psql cancels a query with it, a shell a command line, a port-forward stops):
        // ks itself only waits for it to end, and a process that ends failing stops the commands after it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        return await RunAsync(args, KsContext.OfProcess(), CancellationToken.None);
    }

    /// <summary>Runs ks inside the calling process with the streams, environment and working directory of <paramref name="context"/>.</summary>
    public static async Task<int> RunAsync(string[] args, KsContext context, CancellationToken cancellationToken)
    {
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print the exact commands (kind, kubectl, podman, …) in order, one per line, and run none.",
            Recursive = true,
        };
        var root = new RootCommand(
            "ks: Keepsake's operations tool. It knows four stages, test 🛠️, local 🐣, staging 🤖 and prod 🔥; a command without a stage acts on " +
            "the stage of the 'ks shell' it runs in. Exit codes: 0 done, 1 a command or check failed, 2 refused (wrong arguments, or a stage that changes only through Git).")
        {
            dryRun,
            EnvCommand.Create(context),
            ShellCommand.Create(context, dryRun),
            ToolsCommand.Create(context),
            BootstrapCommand.Create(context, dryRun),
            DeployCommand.Create(context, dryRun),
            HostsCommand.Create(context, dryRun),
            TestCommand.Create(context, dryRun),
        };
        foreach (var command in ClusterCommands.Create(context, dryRun))
        {
            root.Add(command);
        }
        var invocation = new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = context.Out,
            Error = context.Errors,
        };
        try
        {
            return await root.Parse(args).InvokeAsync(invocation, cancellationToken);
        }
        catch (KsException e)
        {
            context.Error(e.Message);
            return KsExit.Refused;
        }
    }
}
