using System.CommandLine;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Commands;

/// <summary><c>ks env STAGE [--format sh|dotenv|json]</c>: the stage's settings, so <c>eval "$(ks env local)"</c> works in any POSIX shell.</summary>
internal static class EnvCommand
{
    public static Command Create(KsContext context)
    {
        var stage = StageArgument.Create();
        var format = new Option<string>("--format")
        {
            Description = "sh: 'export KEEPSAKE_…=' lines for eval; dotenv: a .env file; json: the settings and where each secret comes from.",
            DefaultValueFactory = _ => EnvironmentFormat.Sh,
        };
        format.AcceptOnlyFromAmong(EnvironmentFormat.All);
        var command = new Command("env", "Print the KEEPSAKE_… settings the app reads in a stage. Secrets are never printed: standard error says where each comes from.")
        {
            stage, format,
        };
        command.SetAction(parse =>
        {
            var chosen = StageArgument.Resolve(parse, stage, context);
            var written = parse.GetValue(format)!;
            context.Out.Write(EnvironmentFormat.Write(chosen, written));
            if (written != EnvironmentFormat.Json)
            {
                foreach (var secret in chosen.Secrets)
                {
                    context.Errors.WriteLine($"# {secret.Variable}: not printed; it comes from {secret.Source}");
                }
            }
            return KsExit.Done;
        });
        return command;
    }
}
