using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary><c>ks shell STAGE</c> in a real bash and zsh, commands on standard input, in a HOME of the test's own.</summary>
public sealed class ShellTests : IDisposable
{
    private const string KubeConfig = """
        apiVersion: v1
        kind: Config
        current-context: somewhere-else
        contexts:
        - name: somewhere-else
          context: {cluster: somewhere-else, user: someone}
        - name: kind-keepsake
          context: {cluster: kind-keepsake, user: kind-keepsake}
        clusters: []
        users: []
        """;

    private const string Commands = """
        echo "prompt=[$PS1]"
        echo "stage=$KEEPSAKE_STAGE"
        echo "context=$(kubectl config current-context)"
        echo "kubeconfig=$KUBECONFIG"
        echo "path=$PATH"
        echo "later=$(ks env | head -n 1)"
        exit

        """;

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("ks-home-");

    public void Dispose() => _home.Delete(recursive: true);

    public static TheoryData<string, string> Shells => new()
    {
        { "/bin/bash", ".bashrc" },
        { "/usr/bin/zsh", ".zshrc" },
    };

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Ks_shell_local_runs_the_users_rc_file_then_puts_the_stage_in_the_prompt_the_environment_and_a_private_kube_config(string shell, string rcFile)
    {
        Assert.True(File.Exists(shell), $"{shell} is not installed: scripts/test.sh installs it (apt-get install -y {Path.GetFileName(shell)})");
        await File.WriteAllTextAsync(Path.Combine(_home.FullName, rcFile), "echo USER-RC-RAN\nPS1='me> '\nexport PATH=\"/user/rc/bin:$PATH\"\n");
        var kubeConfig = Path.Combine(Directory.CreateDirectory(Path.Combine(_home.FullName, ".kube")).FullName, "config");
        await File.WriteAllTextAsync(kubeConfig, KubeConfig);
        var before = await File.ReadAllBytesAsync(kubeConfig);

        var session = await RunShellAsync(shell, "local");

        Assert.True(session.ExitCode == 0, $"{session.Error}\n{session.Output}");
        var said = Said(session.Output);
        Assert.Contains("USER-RC-RAN", session.Output, StringComparison.Ordinal);
        Assert.Equal("🐣 local me> ", said["prompt"][1..^1]);
        Assert.Equal("local", said["stage"]);
        Assert.Equal("kind-keepsake", said["context"]);
        // .deps/ and the shell's own ks first, even after an rc file that puts its own folder in front.
        var deps = Regex.Escape(Path.Combine(Repository.Root, ".deps"));
        Assert.Matches($"^{deps}:{Regex.Escape(Path.GetTempPath())}ks-shell-[^:/]+/bin:/user/rc/bin:", said["path"]);
        Assert.Equal("export KEEPSAKE_Database__Provider='postgres'", said["later"]);
        Assert.Equal(before, await File.ReadAllBytesAsync(kubeConfig));
        Assert.False(File.Exists(said["kubeconfig"]), "the shell's private kube config outlived it");
    }

    [Fact]
    public async Task Ks_shell_works_without_a_kube_config_and_makes_none_in_the_users_home()
    {
        var session = await RunShellAsync("/bin/bash", "staging");

        Assert.True(session.ExitCode == 0, $"{session.Error}\n{session.Output}");
        var said = Said(session.Output);
        Assert.StartsWith("🤖 staging ", said["prompt"][1..^1], StringComparison.Ordinal);
        Assert.Equal("keepsake-staging", said["context"]);
        Assert.Contains("there is no kube config at", session.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_home.FullName, ".kube")), "ks shell wrote into the user's own ~/.kube");
    }

    [Fact]
    public async Task Ks_shell_in_another_shell_gives_it_the_stage_environment_with_a_warning_about_the_prompt()
    {
        var session = await RunShellAsync("/bin/sh", "test");

        Assert.True(session.ExitCode == 0, $"{session.Error}\n{session.Output}");
        Assert.Equal("test", Said(session.Output)["stage"]);
        Assert.Contains("warning: ks puts the stage in the prompt of bash and zsh only; /bin/sh gets the stage's environment", session.Error, StringComparison.Ordinal);
    }

    /// <summary>ks as its own process (it starts the shell and waits for it), the commands on its standard input.</summary>
    private async Task<ProcessResult> RunShellAsync(string shell, string stage)
    {
        var commands = Path.Combine(_home.FullName, "commands");
        await File.WriteAllTextAsync(commands, Commands);
        return await Repository.RunAsync("sh", ["-c", "exec dotnet \"$KS_DLL\" shell \"$STAGE\" < \"$COMMANDS\""], new Dictionary<string, string>
        {
            ["HOME"] = _home.FullName,
            ["SHELL"] = shell,
            ["STAGE"] = stage,
            ["COMMANDS"] = commands,
            ["KS_DLL"] = Ks.Dll,
            ["KUBECONFIG"] = "",
            ["KEEPSAKE_STAGE"] = "",
            ["ZDOTDIR"] = "",
        }, TimeSpan.FromSeconds(60));
    }

    /// <summary>The <c>name=value</c> lines the commands printed.</summary>
    private static Dictionary<string, string> Said(string output) =>
        output.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[0] is "prompt" or "stage" or "context" or "kubeconfig" or "path" or "later")
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
}
