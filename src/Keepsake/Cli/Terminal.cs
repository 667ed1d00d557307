using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary>
/// Where a verb talks to whoever runs it: standard output for its results, standard error for errors, progress and
/// logs, standard input for a password; progress bars and prompts for a person at a terminal, plain lines for scripts
/// and logs. The binary's verbs use the process's own console (<see cref="OfProcess"/>); a host that runs a verb
/// inside its own process gives it writers of its own, so nothing process-wide changes.
/// </summary>
internal sealed class Terminal
{
    private readonly bool _isProcessConsole;

    /// <summary>Writers and a reader of the caller's: never interactive, logs written to <paramref name="errors"/>.</summary>
    public Terminal(TextWriter output, TextWriter errors, TextReader input)
        : this(TextWriter.Synchronized(output), TextWriter.Synchronized(errors), input, isProcessConsole: false)
    {
    }

    private Terminal(TextWriter output, TextWriter errors, TextReader input, bool isProcessConsole)
    {
        Out = output;
        Errors = errors;
        In = input;
        _isProcessConsole = isProcessConsole;
    }

    /// <summary>The process's standard output, error and input.</summary>
    public static Terminal OfProcess() => new(Console.Out, Console.Error, Console.In, isProcessConsole: true);

    public TextWriter Out { get; }

    public TextWriter Errors { get; }

    public TextReader In { get; }

    /// <summary>A person at a terminal, who gets progress bars and prompts (<see cref="AnsiConsole"/>).</summary>
    public bool IsInteractive =>
        _isProcessConsole && !Console.IsOutputRedirected && !Console.IsInputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public void Error(string message) => Errors.WriteLine("error: " + message);

    /// <summary>
    /// Logs on standard error, warnings and worse only (a filter for this provider, so it wins over the server's levels in
    /// appsettings.json), and nothing at all from the <paramref name="silenced"/> categories.
    /// </summary>
    public void AddLogging(ILoggingBuilder logging, params string[] silenced)
    {
        logging.ClearProviders();
        if (_isProcessConsole)
        {
            logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            Filter<ConsoleLoggerProvider>(logging, silenced);
        }
        else
        {
            logging.AddProvider(new WriterLoggerProvider(Errors));
            Filter<WriterLoggerProvider>(logging, silenced);
        }
    }

    private static void Filter<TProvider>(ILoggingBuilder logging, string[] silenced)
        where TProvider : ILoggerProvider
    {
        logging.AddFilter<TProvider>(level => level >= LogLevel.Warning);
        foreach (var category in silenced)
        {
            logging.AddFilter<TProvider>(category, LogLevel.None);
        }
    }
}
