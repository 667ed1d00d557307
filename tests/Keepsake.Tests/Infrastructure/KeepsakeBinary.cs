namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// The command that runs this build's server or a verb as a process of its own: <c>dotnet keepsake.dll</c> from the
/// tests' own output, or the published binary <c>KEEPSAKE_TEST_BINARY</c> names. scripts/test.sh names the one the
/// container image is made from, compiled ahead of time (ReadyToRun): the same code, which starts on half the CPU time,
/// and the tests start a few hundred such processes.
/// </summary>
public static class KeepsakeBinary
{
    public static IReadOnlyList<string> Command { get; } = Environment.GetEnvironmentVariable("KEEPSAKE_TEST_BINARY") is { Length: > 0 } published
        ? [File.Exists(published) ? Path.GetFullPath(published) : throw new InvalidOperationException($"KEEPSAKE_TEST_BINARY names {published}, which does not exist.")]
        : ["dotnet", Path.Combine(AppContext.BaseDirectory, "keepsake.dll")];
}
