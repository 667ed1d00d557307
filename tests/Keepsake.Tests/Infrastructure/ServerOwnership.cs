using System.Diagnostics;
using System.Globalization;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// The servers the tests start (PostgreSQL, Redis, s3rver) outlive a test process that is ended before its
/// exit handlers run. Each server's folder names the test process that owns it; the next run stops the
/// servers whose owner is gone and removes their folders.
/// </summary>
public static class ServerOwnership
{
    private const string OwnerFile = "owner.pid";

    public static void Claim(string folder) =>
        File.WriteAllText(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether the folder was claimed by a test process that is no longer running.</summary>
    public static bool IsAbandoned(string folder) =>
        ReadPid(Path.Combine(folder, OwnerFile)) is { } owner && !IsRunning(owner);

    public static int? ReadPid(string file)
    {
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Kills the process by its recorded pid, only if it still is the program named (a pid may be reused).</summary>
    public static void Kill(int pid, string program)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.ProcessName.StartsWith(program, StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Kills an abandoned server by the pid its folder recorded, only if that process is still the server of that folder:
    /// its command line or working directory names the folder. Pids are reused (a few tens of thousands of them, and a test
    /// run starts thousands of processes), and a name alone ("node") would match another run's live server.
    /// </summary>
    public static void KillLeftover(int pid, string program, string folder)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            var workingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget ?? "";
            if (commandLine.Contains(folder, StringComparison.Ordinal) || workingDirectory.StartsWith(folder, StringComparison.Ordinal))
            {
                Kill(pid, program);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to look at.
        }
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Someone else's, or still in use; left alone.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
