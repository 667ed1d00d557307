using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// What every fault test checks once the fault is over: <c>keepsake fsck</c>, run as an operator runs it but
/// counting every unreferenced file (nothing is in flight any more), finds nothing wrong, and no scratch folder
/// of a Keepsake run is left where the test let them be made.
/// </summary>
public static class Aftermath
{
    /// <summary>Settings that put a server's or verb's scratch folders (upload staging, backup staging) in <paramref name="folder"/>.</summary>
    public static Dictionary<string, string?> ScratchIn(string folder) => new()
    {
        ["Photos:StagingPath"] = folder,
        ["Backups:TemporaryPath"] = folder,
    };

    public static async Task AssertFsckCleanAsync(KeepsakeApp app)
    {
        var result = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        Assert.True(result.ExitCode == 0, $"fsck found problems (exit {result.ExitCode}):\n{result.Output}\n{result.Error}");
    }

    /// <summary>No folder a Keepsake run made for its scratch work is left in <paramref name="parent"/>.</summary>
    public static void AssertNoScratchFolders(string parent)
    {
        var left = Directory.Exists(parent) ? Directory.GetDirectories(parent, "keepsake-*") : [];
        Assert.True(left.Length == 0, "scratch folders left behind: " + string.Join(", ", left));
    }
}
