using System.CommandLine;
using Keepsake.Ks.Processes;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Commands;

/// <summary><c>ks test</c>: scripts/test.sh, the whole suite as CI runs it, under the test stage's settings.</summary>
internal static class TestCommand
{
    public static Command Create(KsContext context, Option<bool> dryRun)
    {
        var command = new Command("test",
            $"Run scripts/test.sh (what CI runs: it installs what is missing, checks formatting, builds and runs every suite) with the {Stages.Stages.Test.Title} stage's settings, whatever stage the shell is in.");
        command.SetAction((parse, cancellationToken) =>
        {
            var environment = Stages.Stages.Test.Settings.All.ToDictionary(s => s.Variable, s => s.Value);
            environment[StageArgument.Variable] = Stages.Stages.Test.Name;
            return new Runner(context, parse.GetValue(dryRun)).RunAsync([new Invocation("scripts/test.sh") { Environment = environment }], cancellationToken);
        });
        return command;
    }
}
