using System.Diagnostics;
using Keepsake.Cli;

namespace Keepsake.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Runs a <c>keepsake</c> verb the way an operator does: <see cref="RunAsync(KeepsakeApp, string, string?)"/> runs it
/// inside the test process (the binary's own entry, with the settings its <c>KEEPSAKE_*</c> variables would give and
/// writers for its output), <see cref="RunProcessAsync"/> runs the real binary as a process, for the tests about the
/// process itself (its start-up, what it inherits from its environment, its peak memory).
/// </summary>
public static class CliRunner
{
    private static readonly TimeSpan LongestRun = TimeSpan.FromMinutes(5);

    /// <summary>Runs the verb on the app's settings (its database, storage and cache).</summary>
    public static Task<CliResult> RunAsync(KeepsakeApp app, string arguments, string? standardInput = null) =>
        RunAsync(app.Environment, arguments, standardInput);

    /// <summary>Runs the verb with <paramref name="environment"/>, <c>KEEPSAKE_*</c> variables only, as its settings.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, string arguments, string? standardInput = null)
    {
        var settings = environment.ToDictionary(
            variable => variable.Key.StartsWith("KEEPSAKE_", StringComparison.Ordinal)
                ? variable.Key["KEEPSAKE_".Length..].Replace("__", ":", StringComparison.Ordinal)
                : throw new ArgumentException($"{variable.Key} is not a setting; a verb that needs it in its environment runs with RunProcessAsync"),
            variable => variable.Value);
        if (!settings.ContainsKey("Database:ConnectionString") || !(settings.ContainsKey("Storage:Path") || settings.GetValueOrDefault("Storage:Provider") == "s3"))
        {
            throw new ArgumentException("the binary's default database and storage are in its working directory: give both, or run it with RunProcessAsync");
        }
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(standardInput ?? "");
        var exitCode = await KeepsakeCli.RunAsync([.. SplitArguments(arguments)], settings, output, error, input, CancellationToken.None).WaitAsync(LongestRun);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs the binary as a process in <paramref name="workingDirectory"/>; <paramref name="wrapper"/> is a command line that
    /// ends by running the one it is given as its last arguments (e.g. <c>unshare</c>), for tests that change the process's world;
    /// <paramref name="binary"/> is another build's <c>keepsake.dll</c> (an earlier release).
    /// </summary>
    public static async Task<CliResult> RunProcessAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, string arguments, string? standardInput = null, IReadOnlyList<string>? wrapper = null,
        string? binary = null)
    {
        var command = (wrapper ?? []).Concat(binary is null ? KeepsakeBinary.Command : ["dotnet", binary]).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in SplitArguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(LongestRun);
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Splits on spaces, keeping "double-quoted parts" together.</summary>
    internal static IEnumerable<string> SplitArguments(string arguments)
    {
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in arguments)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
