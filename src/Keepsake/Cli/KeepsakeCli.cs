using System.CommandLine;

namespace Keepsake.Cli;

/// <summary>The verbs of the <c>keepsake</c> binary other than serving.</summary>
public static class KeepsakeCli
{
    private static readonly HashSet<string> Verbs = ["import", "user", "fsck", "migrate", "backup", "weather", "--help", "-h", "-?", "--version"];

    /// <summary>True when the arguments name a verb; anything else (no arguments, <c>serve</c>, host options) serves.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Keepsake: a self-hosted photo library. With no verb (or 'serve') it serves the web app and API.")
        {
            ImportCommand.Create(),
            UserCommands.Create(),
            FsckCommand.Create(),
            MigrateCommand.Create(),
            BackupCommands.Create(),
            WeatherCommands.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
