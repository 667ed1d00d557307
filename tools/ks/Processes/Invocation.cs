using System.Text;

namespace Keepsake.Ks.Processes;

/// <summary>
/// One process a command runs: every command is a list of these, printed by <c>--dry-run</c> and run otherwise, so
/// what is printed is exactly what would run. Relative paths in arguments are relative to the repository root,
/// where every invocation runs.
/// </summary>
internal sealed record Invocation(string Program, IReadOnlyList<string> Arguments)
{
    public Invocation(string program, params string[] arguments)
        : this(program, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>Variables set for this process only, over ks's own environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Written to the process's standard input; printed as a here-document.</summary>
    public string? Input { get; init; }

    /// <summary>Started and left running while the next ones start (port-forwards); ks waits for them all at the end.</summary>
    public bool Background { get; init; }

    /// <summary>Whether <see cref="Input"/> holds values generated for a secret: printed as a placeholder, never shown.</summary>
    public bool InputIsSecret { get; init; }

    /// <summary>Run first with its output discarded: when it succeeds, what this invocation makes is there already, and it is skipped.</summary>
    public Invocation? Unless { get; init; }

    /// <summary>The line sh runs, from the repository root: <c>NAME=value program args</c>, a here-document, a trailing <c>&amp;</c>.</summary>
    public string Display
    {
        get
        {
            var line = new StringBuilder();
            if (Unless is not null)
            {
                line.Append(Unless.Display).Append(" >/dev/null 2>&1 || ");
            }
            foreach (var (name, value) in Environment)
            {
                line.Append(name).Append('=').Append(ShellQuote.Word(value)).Append(' ');
            }
            line.AppendJoin(' ', new[] { Program }.Concat(Arguments).Select(ShellQuote.Word));
            if (Input is not null)
            {
                var input = InputIsSecret ? "(generated when it runs; not shown)\n" : Input;
                line.Append(" <<'EOF'\n").Append(input);
                if (!input.EndsWith('\n'))
                {
                    line.Append('\n');
                }
                line.Append("EOF");
            }
            if (Background)
            {
                line.Append(" &");
            }
            return line.ToString();
        }
    }
}
