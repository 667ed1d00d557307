using System.CommandLine;
using System.CommandLine.Parsing;
using Keepsake.Storage;
using Microsoft.Extensions.Options;

namespace Keepsake.Cli;

/// <summary>The verbs of the <c>keepsake</c> binary other than serving.</summary>
public static class KeepsakeCli
{
    private static readonly HashSet<string> Verbs = ["import", "user", "fsck", "migrate", "backup", "weather", "--help", "-h", "-?", "--version"];

    /// <summary>True when the arguments name a verb; anything else (no arguments, <c>serve</c>, host options) serves.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <summary>
    /// Runs the verb. What every verb may meet is reported here, alike for all of them, in one line on standard error:
    /// an interruption (exit 130), settings that do not hold together and a fault of Keepsake's own storage (exit 2);
    /// anything else is a bug, reported whole.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand(
            "Keepsake: a self-hosted photo library. With no verb (or 'serve') it serves the web app and API. Every verb exits 0 when all " +
            "was done, 1 when some of it failed (its output says what), 2 when it could not run, and 130 when SIGINT or SIGTERM stopped it.")
        {
            ImportCommand.Create(),
            UserCommands.Create(),
            FsckCommand.Create(),
            MigrateCommand.Create(),
            BackupCommands.Create(),
            WeatherCommands.Create(),
        };
        var parse = root.Parse(args);
        using var interruption = new Interruption();
        // Signals are the Interruption's: System.CommandLine's own handling would end the process two seconds after one, in the middle of whatever runs.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(invocation, interruption.Token);
        }
        catch (OperationCanceledException) when (interruption.Signal is { } signal)
        {
            Terminal.Error($"{VerbOf(parse)} interrupted by {signal} before it finished");
            return ExitCodes.Interrupted;
        }
        catch (OptionsValidationException e)
        {
            Terminal.Error(string.Join(" ", e.Failures));
            return ExitCodes.CouldNotRun;
        }
        catch (Exception e) when (StorageFault.Classify(e) is { } fault)
        {
            Terminal.Error($"{VerbOf(parse)} stopped: {StorageFaults.What(fault)}: {StorageFaults.Where(e)}");
            return ExitCodes.CouldNotRun;
        }
        catch (Exception e)
        {
            Terminal.Error($"{VerbOf(parse)} failed unexpectedly: {e}");
            return ExitCodes.SomeFailed;
        }
    }

    /// <summary>The verb as typed, e.g. <c>backup create</c>.</summary>
    private static string VerbOf(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult { Command: not RootCommand } command; result = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }
        return string.Join(' ', names);
    }
}
