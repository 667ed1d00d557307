using System.Diagnostics;

namespace Keepsake.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs the real <c>keepsake</c> binary as a separate process, the way an operator does.</summary>
public static class CliRunner
{
    private static readonly string Binary = Path.Combine(AppContext.BaseDirectory, "keepsake.dll");

    public static async Task<CliResult> RunAsync(KeepsakeApp app, string arguments, string? standardInput = null) =>
        await RunAsync(app.Folder.Path, app.Environment, arguments, standardInput);

    /// <summary>
    /// Runs the binary; <paramref name="wrapper"/> is a command line that ends by running the one it is
    /// given as its last arguments (e.g. <c>unshare</c>), for tests that change the process's world.
    /// </summary>
    public static async Task<CliResult> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, string arguments, string? standardInput = null, IReadOnlyList<string>? wrapper = null)
    {
        var command = (wrapper ?? []).Concat(["dotnet", Binary]).ToList();
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
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
