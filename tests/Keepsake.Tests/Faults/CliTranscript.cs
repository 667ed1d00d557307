using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>What a verb that met a fault may and may not print.</summary>
public static class CliTranscript
{
    public static string Describe(CliResult result) => $"exit {result.ExitCode}\nstdout:\n{result.Output}\nstderr:\n{result.Error}";

    /// <summary>A fault is reported in words: no exception type, no stack frame, on either stream.</summary>
    public static void AssertNoStackTrace(CliResult result)
    {
        foreach (var text in new[] { result.Output, result.Error })
        {
            Assert.False(text.Contains("Exception", StringComparison.Ordinal) || text.Contains("   at ", StringComparison.Ordinal),
                "a stack trace or an exception's name was printed:\n" + Describe(result));
        }
    }

    /// <summary>The lines on standard error that report a failure (not progress, not log lines).</summary>
    public static IReadOnlyList<string> ErrorLines(CliResult result) =>
        result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
}
