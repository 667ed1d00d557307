using System.Diagnostics;
using System.Text.RegularExpressions;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Compatibility;

/// <summary>
/// Earlier releases of Keepsake, chosen from this repository's history with git and built from a detached
/// <c>git worktree</c> outside the clone. A build is kept in <c>$KEEPSAKE_TEST_TOOLS/compat/COMMIT</c> (a commit's
/// output never changes), so only the first run pays for it; a lock file lets two test processes (the drills
/// of both stacks) wait for one build instead of making it twice.
/// </summary>
public static partial class ReleaseBuilds
{
    private const string Migrations = ":(glob)src/Keepsake/**/Migrations/**";

    private static readonly TimeSpan LongestBuild = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The releases are chosen from the history, which a shallow clone (a CI checkout's default) lacks: it is deepened
    /// from its origin once, and the tests fail saying so when that cannot be done.
    /// </summary>
    private static readonly Lazy<bool> FullHistory = new(() =>
    {
        if (Git("rev-parse", "--is-shallow-repository").Single() == "true")
        {
            try
            {
                Git("fetch", "--unshallow", "--quiet");
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    "The compatibility tests build earlier releases from this repository's history, but this clone is shallow and " +
                    "'git fetch --unshallow' failed. Clone with the full history (actions/checkout: fetch-depth: 0).", e);
            }
        }
        return true;
    });

    public static string CacheFolder => Path.Combine(S3Server.ToolsFolder, "compat");

    /// <summary>
    /// The release a rolling update replaces: the last release tag before HEAD if there is one; else the main line
    /// just before the newest change of the migration set reached it (the first parent of the first-parent commit that
    /// added a migration file), which is the newest code that runs on the schema before the newest migration.
    /// </summary>
    public static string PreviousRelease()
    {
        _ = FullHistory.Value;
        var tag = Git("tag", "--merged", "HEAD^", "--sort=-creatordate").FirstOrDefault();
        if (tag is not null)
        {
            return Git("rev-list", "-n", "1", tag).Single();
        }
        var landed = Git("log", "--first-parent", "--diff-filter=A", "-n", "1", "--format=%H", "HEAD", "--", Migrations).Single();
        return Git("rev-parse", landed + "^1").Single();
    }

    /// <summary>
    /// The oldest release whose database the current build must still upgrade: the first commit holding every
    /// current initial migration (one per provider) at its present path, i.e. the first with today's migration sets.
    /// </summary>
    public static string OldestSupportedRelease()
    {
        _ = FullHistory.Value;
        var introducing = Git("ls-files", ":(glob)src/Keepsake/**/Migrations/**/*_Initial.cs")
            .Select(file => Git("log", "--diff-filter=A", "--format=%H", "HEAD", "--", file).Last())
            .ToHashSet(StringComparer.Ordinal);
        // The newest of them is the first commit that has them all.
        return Git("rev-list", "--topo-order", "HEAD").First(introducing.Contains);
    }

    /// <summary>The migration ids (e.g. <c>20261123114613_Initial</c>) of one provider's set at <paramref name="commit"/>.</summary>
    public static IReadOnlyList<string> MigrationsAt(string commit, string provider) =>
        Git("ls-tree", "-r", "--name-only", commit, "--", $"src/Keepsake/Data/Migrations/{provider}/")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name is not null && MigrationId().IsMatch(name))
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Describe(string commit) => Git("log", "-1", "--format=%h %s", commit).Single();

    /// <summary>Builds <paramref name="commit"/>'s server once and returns its <c>keepsake.dll</c>.</summary>
    public static async Task<string> BuildAsync(string commit)
    {
        var output = Path.Combine(CacheFolder, commit);
        var binary = Path.Combine(output, "keepsake.dll");
        Directory.CreateDirectory(CacheFolder);
        await using var buildLock = await LockAsync(Path.Combine(CacheFolder, commit + ".lock"));
        if (File.Exists(binary))
        {
            return binary;
        }
        var scratch = Path.Combine(Path.GetTempPath(), "keepsake-compat-" + Guid.NewGuid().ToString("N"));
        var source = Path.Combine(scratch, "source");
        // A test process killed in the middle of a build leaves its worktree registered: forget those first.
        Git("worktree", "prune");
        Git("worktree", "add", "--detach", source, commit);
        try
        {
            var partial = output + ".partial";
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
            await RunAsync("dotnet", source, [
                "build", "src/Keepsake/Keepsake.csproj", "-c", "Release", "-o", partial, "--nologo", "-v", "quiet",
                // Nothing stays running after the test: no MSBuild node or compiler server is reused.
                "--disable-build-servers",
                // The server only: no npm. Releases before the BuildWebApp switch find no web project instead.
                "-p:BuildWebApp=false", $"-p:WebProjectDir={Path.Combine(scratch, "no-web")}/",
                // A newer SDK's analyzers may find something new in old code; that code is what was released.
                "-p:TreatWarningsAsErrors=false",
            ]);
            Directory.Move(partial, output);
            return binary;
        }
        finally
        {
            Git("worktree", "remove", "--force", source);
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>An exclusive lock on a file, waited for: another process building the same commit holds it until it is done.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LongestBuild)
            {
                await Task.Delay(500);
            }
        }
    }

    private static IReadOnlyList<string> Git(params string[] arguments) =>
        Task.Run(() => RunAsync("git", TestData.RepositoryRoot, arguments)).GetAwaiter().GetResult()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<string> RunAsync(string program, string workingDirectory, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // 'dotnet test' gives the test host MSBuild's variables; a build of another tree must not inherit them.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(variable);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(LongestBuild);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {LongestBuild.TotalMinutes} minutes.");
        }
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
    }

    [GeneratedRegex(@"^\d{14}_\w+$")]
    private static partial Regex MigrationId();
}
