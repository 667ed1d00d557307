using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Keepsake.Backups;

/// <summary>
/// Finds <c>pg_dump</c>/<c>pg_restore</c> for a server: a dump made by an older pg_dump than the server
/// fails or loses features, so the newest one whose major version is at least the server's is used.
/// </summary>
internal static partial class PostgresTools
{
    private const string DebianFolder = "/usr/lib/postgresql";

    public static async Task<string> FindAsync(string tool, int serverMajor, string? configuredFolder, CancellationToken cancellationToken)
    {
        var candidates = configuredFolder is { Length: > 0 }
            ? [Path.Combine(configuredFolder, tool)]
            : CandidatePaths(tool);
        var found = new List<(string Path, int Major)>();
        foreach (var path in candidates.Where(File.Exists).Distinct(StringComparer.Ordinal))
        {
            if (await MajorVersionAsync(path, cancellationToken) is { } major)
            {
                found.Add((path, major));
            }
        }
        var usable = found.Where(f => f.Major >= serverMajor).OrderByDescending(f => f.Major).FirstOrDefault();
        if (usable.Path is not null)
        {
            return usable.Path;
        }
        var where = configuredFolder is { Length: > 0 } ? $"in Backups:PostgresToolsPath '{configuredFolder}'" : $"on PATH or in {DebianFolder}/*/bin";
        var seen = found.Count == 0
            ? $"none was found {where}"
            : "found only " + string.Join(", ", found.Select(f => $"{f.Path} (PostgreSQL {f.Major.ToString(CultureInfo.InvariantCulture)})"));
        throw new BackupException(
            $"{tool} from PostgreSQL {serverMajor.ToString(CultureInfo.InvariantCulture)} or newer is needed for this server (PostgreSQL {serverMajor.ToString(CultureInfo.InvariantCulture)}); {seen}. " +
            $"Install postgresql-client-{serverMajor.ToString(CultureInfo.InvariantCulture)} (or newer), or set Backups:PostgresToolsPath to the folder that holds it.");
    }

    private static IEnumerable<string> CandidatePaths(string tool)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.Combine(folder, tool);
        }
        if (Directory.Exists(DebianFolder))
        {
            foreach (var version in Directory.EnumerateDirectories(DebianFolder))
            {
                yield return Path.Combine(version, "bin", tool);
            }
        }
    }

    private static async Task<int?> MajorVersionAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ExternalProcess.RunAsync(path, ["--version"], new Dictionary<string, string>(), cancellationToken);
            var match = VersionPattern().Match(result.Output);
            return result.ExitCode == 0 && match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}

/// <summary>Runs a tool to its end, keeping what it printed for the error message.</summary>
internal static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new BackupException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
