using System.Diagnostics;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// A throwaway origin (bare repository with main and deploy/prod) and a clone of it whose last commit is a
/// deploy bump, the state a release workflow is in when its health gate fails.
/// </summary>
public sealed class DeployHistory : IDisposable
{
    private readonly string _folder;

    private DeployHistory(string folder)
    {
        _folder = folder;
        Origin = Path.Combine(folder, "origin.git");
        Clone = Path.Combine(folder, "clone");
    }

    public string Origin { get; }

    public string Clone { get; }

    /// <summary>The deploy commit to roll back.</summary>
    public string Deploy { get; private set; } = "";

    public static async Task<DeployHistory> CreateAsync()
    {
        var history = new DeployHistory(Directory.CreateTempSubdirectory("keepsake-rollback-").FullName);
        await history.GitAsync(history._folder, "init", "--quiet", "--bare", "--initial-branch=main", history.Origin);
        await history.GitAsync(history._folder, "clone", "--quiet", history.Origin, history.Clone);
        await history.GitAsync(history.Clone, "config", "user.name", "keepsake-release");
        await history.GitAsync(history.Clone, "config", "user.email", "release@users.noreply.github.com");
        var overlay = Path.Combine(history.Clone, "kustomization.yaml");
        await File.WriteAllTextAsync(overlay, "images:\n  - name: keepsake\n    newTag: main-1-0e34f57\n");
        await history.GitAsync(history.Clone, "add", "kustomization.yaml");
        await history.GitAsync(history.Clone, "commit", "--quiet", "--message", "Deploy main-1-0e34f57 to staging");
        await File.WriteAllTextAsync(overlay, "images:\n  - name: keepsake\n    newTag: main-2-abc1234\n");
        await history.GitAsync(history.Clone, "commit", "--quiet", "--all", "--message", "Deploy main-2-abc1234 to staging");
        await history.GitAsync(history.Clone, "push", "--quiet", "origin", "HEAD:main", "HEAD:deploy/prod");
        history.Deploy = await history.GitAsync(history.Clone, "rev-parse", "HEAD");
        return history;
    }

    public Task<string> RemoteAsync(params string[] arguments) => GitAsync(Origin, arguments);

    /// <summary>The same, blocking: for the fake Argo CD, which resolves the deployed revision at each poll.</summary>
    public string Remote(params string[] arguments) => RemoteAsync(arguments).GetAwaiter().GetResult();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<string> GitAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
        return (await output).Trim();
    }
}
