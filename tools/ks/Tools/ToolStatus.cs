using System.Diagnostics;
using System.Text.RegularExpressions;
using Keepsake.Ks.Processes;

namespace Keepsake.Ks.Tools;

/// <summary>Whether a pinned tool is here (in <c>.deps/</c>, else on PATH) at its pinned version, as the tool itself says.</summary>
internal sealed partial record ToolStatus(string Name, string Pinned, string? Path, string? FoundVersion)
{
    public bool IsPresent => Path is not null && FoundVersion == Pinned;

    public string State => Path is null ? "missing" : IsPresent ? "present" : $"wrong version ({FoundVersion ?? "unknown"})";

    public static async Task<ToolStatus> OfAsync(KsContext context, string name, PinnedTool tool, CancellationToken cancellationToken)
    {
        var path = ExecutableSearch.Find(context, name);
        if (path is null)
        {
            return new ToolStatus(name, tool.Version, null, null);
        }
        var said = await VersionOutputAsync(path, tool.VersionArguments, cancellationToken);
        var version = said.Contains(tool.Version, StringComparison.Ordinal) ? tool.Version : Version().Match(said) is { Success: true } m ? m.Value : null;
        return new ToolStatus(name, tool.Version, path, version);
    }

    private static async Task<string> VersionOutputAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return "";
            }
            return await output + await errors;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not a program this machine can run (another platform's binary): no version to read.
            return "";
        }
    }

    [GeneratedRegex(@"\d+\.\d+\.\d+")]
    private static partial Regex Version();
}
