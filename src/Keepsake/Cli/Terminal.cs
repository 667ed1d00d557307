using Spectre.Console;

namespace Keepsake.Cli;

/// <summary>Progress bars and prompts for a person at a terminal; plain lines for scripts and logs.</summary>
internal static class Terminal
{
    public static bool IsInteractive => !Console.IsOutputRedirected && !Console.IsInputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Error(string message) => Console.Error.WriteLine("error: " + message);
}
