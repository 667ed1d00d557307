using System.Collections;
using Spectre.Console;

namespace Keepsake.Ks;

/// <summary>
/// Everything ks reads from and writes to outside itself: the streams, the environment variables and the repository.
/// The binary uses the process's own (<see cref="OfProcess"/>); tests give writers and an environment of their own,
/// so nothing process-wide changes and commands run side by side.
/// </summary>
internal sealed class KsContext
{
    public KsContext(TextWriter output, TextWriter errors, TextReader input, IReadOnlyDictionary<string, string> environment, string workingDirectory)
        : this(output, errors, input, environment, workingDirectory, isProcessConsole: false)
    {
    }

    private KsContext(TextWriter output, TextWriter errors, TextReader input, IReadOnlyDictionary<string, string> environment, string workingDirectory, bool isProcessConsole)
    {
        Out = output;
        Errors = errors;
        In = input;
        Environment = environment;
        WorkingDirectory = workingDirectory;
        IsProcessConsole = isProcessConsole;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isProcessConsole ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isProcessConsole ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
    }

    public static KsContext OfProcess()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? "";
        }
        return new KsContext(Console.Out, Console.Error, Console.In, environment, Directory.GetCurrentDirectory(), isProcessConsole: true);
    }

    public TextWriter Out { get; }

    public TextWriter Errors { get; }

    public TextReader In { get; }

    /// <summary>Tables and panels, written to <see cref="Out"/> (plain text unless it is a terminal).</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>The environment ks was started with; every process it runs starts from it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public string WorkingDirectory { get; }

    /// <summary>True for the binary: the processes it runs share its terminal (an exec, a psql, a shell need one).</summary>
    public bool IsProcessConsole { get; }

    /// <summary>The clone ks works on: the nearest folder holding Keepsake.slnx above the working directory, else above ks itself.</summary>
    public string RepositoryRoot => _repositoryRoot ??= FindRepositoryRoot();

    private string? _repositoryRoot;

    /// <summary>The repository's git-ignored folder of pinned tools (<c>ks tools</c>), first on PATH in <c>ks shell</c>.</summary>
    public string DepsFolder => Path.Combine(RepositoryRoot, ".deps");

    public string? Variable(string name) => Environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public void Error(string message) => Errors.WriteLine("error: " + message);

    public void Warn(string message) => Errors.WriteLine("warning: " + message);

    private string FindRepositoryRoot()
    {
        foreach (var start in new[] { WorkingDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Keepsake.slnx")))
                {
                    return folder.FullName;
                }
            }
        }
        throw new KsException($"ks works inside a Keepsake clone, and none holds {WorkingDirectory}: cd into one");
    }
}

/// <summary>A reason a command cannot go on, told to the user in one line (exit 2).</summary>
internal sealed class KsException(string message) : Exception(message);
