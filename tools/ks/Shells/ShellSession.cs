using System.Text;
using System.Text.RegularExpressions;
using Keepsake.Ks.Processes;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Shells;

/// <summary>
/// The files of one <c>ks shell</c>, in a private temporary folder removed when the shell ends: a copy of the user's kube
/// config with the stage's context current (their own file is only read), and the start-up file that runs the user's
/// own rc file first, then sets the stage and puts its emoji in front of their prompt.
/// </summary>
internal sealed partial class ShellSession : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ks-shell-");

    public string Folder => _folder.FullName;

    public string Kubeconfig => Path.Combine(Folder, "kubeconfig");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>
    /// Copies the first file of <c>KUBECONFIG</c> (else <c>~/.kube/config</c>) and makes the stage's context current in the
    /// copy; returns what the user should know (no config yet, or no such context in it), or null.
    /// </summary>
    public string? WriteKubeconfig(KsContext context, Stage stage)
    {
        var home = context.Variable("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var source = context.Variable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? Path.Combine(home, ".kube", "config");
        var current = $"current-context: {stage.Cluster.Context}";
        if (!File.Exists(source))
        {
            File.WriteAllText(Kubeconfig, $"apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n{current}\n");
            return $"there is no kube config at {source}; this shell's KUBECONFIG is an empty one whose current context is {stage.Cluster.Context}";
        }
        var text = File.ReadAllText(source);
        var copy = CurrentContext().IsMatch(text) ? CurrentContext().Replace(text, current, 1) : text.TrimEnd('\n') + "\n" + current + "\n";
        File.WriteAllText(Kubeconfig, copy);
        return text.Contains($"name: {stage.Cluster.Context}", StringComparison.Ordinal)
            ? null
            : $"{source} has no context {stage.Cluster.Context} yet: " + (stage.Cluster.IsLocal ? "'ks bootstrap' makes it" : "ask for access to the cluster and name its context so");
    }

    /// <summary>bash's <c>--rcfile</c>: <c>~/.bashrc</c>, then the stage.</summary>
    public string WriteBashrc(KsContext context, Stage stage)
    {
        var file = Path.Combine(Folder, "bashrc");
        File.WriteAllText(file, "# ks shell: the user's own start-up file first, so the stage comes after whatever it sets.\n" +
            "if [ -f \"$HOME/.bashrc\" ]; then . \"$HOME/.bashrc\"; fi\n" +
            StageLines(context, stage) +
            $"PS1={ShellQuote.Quoted(stage.Title + " ")}\"$PS1\"\n");
        return file;
    }

    /// <summary>A <c>ZDOTDIR</c> whose <c>.zshenv</c> and <c>.zshrc</c> run the user's own (from their ZDOTDIR or HOME), then the stage.</summary>
    public string WriteZdotdir(KsContext context, Stage stage)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder, "zsh")).FullName;
        File.WriteAllText(Path.Combine(folder, ".zshenv"),
            "KS_SESSION_ZDOTDIR=\"$ZDOTDIR\"\nZDOTDIR=\"$KS_USER_ZDOTDIR\"\n" +
            "if [ -f \"$ZDOTDIR/.zshenv\" ]; then . \"$ZDOTDIR/.zshenv\"; fi\n" +
            "ZDOTDIR=\"$KS_SESSION_ZDOTDIR\"\n");
        File.WriteAllText(Path.Combine(folder, ".zshrc"), "# ks shell: the user's own start-up file first, so the stage comes after whatever it sets.\n" +
            "ZDOTDIR=\"$KS_USER_ZDOTDIR\"\nunset KS_USER_ZDOTDIR KS_SESSION_ZDOTDIR\n" +
            "if [ -f \"$ZDOTDIR/.zshrc\" ]; then . \"$ZDOTDIR/.zshrc\"; fi\n" +
            StageLines(context, stage) +
            $"PROMPT={ShellQuote.Quoted(stage.Title + " ")}\"$PROMPT\"\n");
        return folder;
    }

    /// <summary>A <c>ks</c> on the shell's PATH that runs this very ks, so later commands in the shell need no install.</summary>
    public string WriteKsLauncher()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder, "bin")).FullName;
        var apphost = Path.Combine(AppContext.BaseDirectory, "ks");
        var command = File.Exists(apphost) ? ShellQuote.Quoted(apphost) : "dotnet " + ShellQuote.Quoted(Path.Combine(AppContext.BaseDirectory, "ks.dll"));
        var launcher = Path.Combine(folder, "ks");
        File.WriteAllText(launcher, $"#!/bin/sh\nexec {command} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return folder;
    }

    /// <summary>What the shell's environment holds for the stage: its settings, the stage, the private kube config, <c>.deps/</c> on PATH.</summary>
    public Dictionary<string, string> Environment(KsContext context, Stage stage)
    {
        var environment = stage.Settings.All.ToDictionary(s => s.Variable, s => s.Value);
        environment[StageArgument.Variable] = stage.Name;
        environment["KUBECONFIG"] = Kubeconfig;
        environment["PATH"] = string.Join(Path.PathSeparator, context.DepsFolder, WriteKsLauncher(), context.Variable("PATH") ?? "/usr/bin:/bin");
        return environment;
    }

    /// <summary>The same again after the user's rc file, which may set PATH, KUBECONFIG or a KEEPSAKE_ variable of its own.</summary>
    private string StageLines(KsContext context, Stage stage)
    {
        var lines = new StringBuilder(EnvironmentFormat.Write(stage, EnvironmentFormat.Sh));
        lines.Append($"export {StageArgument.Variable}={ShellQuote.Quoted(stage.Name)}\n");
        lines.Append($"export KUBECONFIG={ShellQuote.Quoted(Kubeconfig)}\n");
        lines.Append($"export PATH={ShellQuote.Quoted(context.DepsFolder)}:{ShellQuote.Quoted(Path.Combine(Folder, "bin"))}:\"$PATH\"\n");
        return lines.ToString();
    }

    [GeneratedRegex("^current-context:.*$", RegexOptions.Multiline)]
    private static partial Regex CurrentContext();
}
