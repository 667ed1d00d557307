using Keepsake.Deploy.Tests.Infrastructure;
using Keepsake.Ks;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary>ks in the test process (the default), or as its own process where the test is about the process or the shell.</summary>
public static class Ks
{
    /// <summary>The built tool beside the tests, run with <c>dotnet</c>.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ks.dll");

    /// <summary>The app's binary beside the tests.</summary>
    public static string KeepsakeDll => Path.Combine(AppContext.BaseDirectory, "keepsake.dll");

    /// <summary>
    /// Runs ks in the test process from <paramref name="workingDirectory"/> (default: the repository) with the test
    /// process's PATH, a HOME of its own and no KEEPSAKE_STAGE, plus <paramref name="environment"/>.
    /// </summary>
    public static async Task<KsResult> RunAsync(string[] args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string input = "")
    {
        var variables = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Path.Combine(Path.GetTempPath(), "ks-tests-home-unused"),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var context = new KsContext(output, errors, new StringReader(input), variables, workingDirectory ?? Repository.Root);
        var exit = await KsCli.RunAsync(args, context, CancellationToken.None);
        return new KsResult(exit, output.ToString(), errors.ToString());
    }

    /// <summary>The lines ks printed, without the empty last one.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

public sealed record KsResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
