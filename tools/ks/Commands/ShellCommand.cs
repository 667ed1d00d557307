using System.CommandLine;
using Keepsake.Ks.Processes;
using Keepsake.Ks.Shells;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Commands;

/// <summary><c>ks shell STAGE</c>: the user's $SHELL with the stage's environment, kube context and tools, and its emoji in the prompt.</summary>
internal static class ShellCommand
{
    public static Command Create(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var command = new Command("shell",
            "Start $SHELL with the stage's KEEPSAKE_… settings, KEEPSAKE_STAGE (later ks commands act on it), a private copy of your kube config " +
            "whose current context is the stage's (your own stays as it is) and .deps/ first on PATH; bash and zsh also get the stage's emoji " +
            "in front of your prompt, after your own rc file ran. Leave it with 'exit'.")
        {
            stage,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = StageArgument.Resolve(parse, stage, context);
            using var session = new ShellSession();
            if (session.WriteKubeconfig(context, chosen) is { } notice)
            {
                context.Warn(notice);
            }
            var shell = context.Variable("SHELL") ?? "/bin/sh";
            var environment = session.Environment(context, chosen);
            string[] arguments;
            switch (Path.GetFileName(shell))
            {
                case "bash":
                    arguments = ["--rcfile", session.WriteBashrc(context, chosen), "-i"];
                    break;
                case "zsh":
                    environment["ZDOTDIR"] = session.WriteZdotdir(context, chosen);
                    environment["KS_USER_ZDOTDIR"] = context.Variable("ZDOTDIR") ?? context.Variable("HOME") ?? "";
                    arguments = ["-i"];
                    break;
                default:
                    context.Warn($"ks puts the stage in the prompt of bash and zsh only; {shell} gets the stage's environment ({StageArgument.Variable}={chosen.Name}) and its usual prompt");
                    arguments = [];
                    break;
            }
            var invocation = new Invocation(shell, arguments) { Environment = environment };
            var runner = new Runner(context, parse.GetValue(dryRun));
            if (runner.DryRun)
            {
                return await runner.RunAsync([invocation], cancellationToken);
            }
            context.Errors.WriteLine($"{chosen.Title}: {chosen.Description}. 'exit' leaves it.");
            return await runner.StartAsync(invocation, cancellationToken);
        });
        return command;
    }
}
