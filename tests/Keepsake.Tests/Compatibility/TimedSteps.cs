using System.Diagnostics;
using Xunit.Abstractions;

namespace Keepsake.Tests.Compatibility;

/// <summary>Each step's wall time in the test's output: a cold build and a cached one differ by minutes.</summary>
public static class TimedSteps
{
    public static async Task<T> TimedAsync<T>(this ITestOutputHelper output, string step, Func<Task<T>> run)
    {
        var watch = Stopwatch.StartNew();
        var result = await run();
        output.WriteLine($"{step}: {watch.Elapsed.TotalSeconds:F1} s");
        return result;
    }
}
