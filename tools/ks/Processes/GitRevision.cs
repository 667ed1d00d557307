using System.Diagnostics;

namespace Keepsake.Ks.Processes;

/// <summary>The commit the working tree is at, which names a locally built image (never <c>latest</c>).</summary>
internal static class GitRevision
{
    public static async Task<string> OfAsync(KsContext context, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = context.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("rev-parse");
        start.ArgumentList.Add("HEAD");
        try
        {
            using var git = Process.Start(start)!;
            var output = await git.StandardOutput.ReadToEndAsync(cancellationToken);
            await git.StandardError.ReadToEndAsync(cancellationToken);
            await git.WaitForExitAsync(cancellationToken);
            return git.ExitCode == 0 && output.Trim() is { Length: 40 } revision ? revision : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
