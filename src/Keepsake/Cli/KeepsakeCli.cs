using System.CommandLine;
using System.CommandLine.Parsing;
using Keepsake.Storage;
using Microsoft.Extensions.Options;

namespace Keepsake.Cli;

/// <summary>The verbs of the <c>keepsake</c> binary other than serving.</summary>
public static class KeepsakeCli
{
    private static readonly HashSet<string> Verbs = ["import", "user", "fsck", "migrate", "backup", "weather", "trash", "--help", "-h", "-?", "--version"];

    /// <summary>True when the arguments name a verb; anything else (no arguments, <c>serve</c>, host options) serves.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <summary>Runs the verb on the process's console, stopped by SIGINT or SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Signals are the Interruption's: System.CommandLine's own handling would end the process two seconds after one, in the middle of whatever runs.
        using var interruption = new Interruption();
        return await RunAsync(args, new CliHost(Terminal.OfProcess(), new Dictionary<string, string?>()), interruption, interruption.Token);
    }

    /// <summary>
    /// Runs the verb inside the calling process, as the binary would run it with <paramref name="settings"/> as
    /// <c>KEEPSAKE_*</c> variables, writing to <paramref name="output"/> and <paramref name="errors"/> instead of the console.
    /// </summary>
    public static Task<int> RunAsync(
        string[] args, IReadOnlyDictionary<string, string?> settings, TextWriter output, TextWriter errors, TextReader input, CancellationToken cancellationToken) =>
        RunAsync(args, new CliHost(new Terminal(output, errors, input), settings), interruption: null, cancellationToken);

    /// <summary>
    /// Runs the verb. What every verb may meet is reported here, alike for all of them, in one line on standard error:
    /// an interruption (exit 130), settings that do not hold together and a fault of Keepsake's own storage (exit 2);
    /// anything else is a bug, reported whole.
    /// </summary>
    private static async Task<int> RunAsync(string[] args, CliHost cli, Interruption? interruption, CancellationToken cancellationToken)
    {
        var root = new RootCommand(
            "Keepsake: a self-hosted photo library. With no verb (or 'serve') it serves the web app and API. Every verb exits 0 when all " +
            "was done, 1 when some of it failed (its output says what), 2 when it could not run, and 130 when SIGINT or SIGTERM stopped it.")
        {
            ImportCommand.Create(cli),
            UserCommands.Create(cli),
            FsckCommand.Create(cli),
            MigrateCommand.Create(cli),
            BackupCommands.Create(cli),
            WeatherCommands.Create(cli),
            TrashCommands.Create(cli),
            PlaceCommands.Create(cli),
        };
        var parse = root.Parse(args);
        var terminal = cli.Terminal;
        var invocation = new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = terminal.Out,
            Error = terminal.Errors,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (interruption?.Signal is { } signal)
        {
            terminal.Error($"{VerbOf(parse)} interrupted by {signal} before it finished");
            return ExitCodes.Interrupted;
        }
        catch (OptionsValidationException e)
        {
            terminal.Error(string.Join(" ", e.Failures));
            return ExitCodes.CouldNotRun;
        }
        catch (Exception e) when (StorageFault.Classify(e) is { } fault)
        {
            terminal.Error($"{VerbOf(parse)} stopped: {StorageFaults.What(fault)}: {StorageFaults.Where(e)}");
            return ExitCodes.CouldNotRun;
        }
        catch (Exception e)
        {
            terminal.Error($"{VerbOf(parse)} failed unexpectedly: {e}");
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
