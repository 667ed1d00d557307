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

    /// <summary>The line sh runs, from the repository root: <c>NAME=value program args</c>, a here-document, a trailing <c>&amp;</c>.</summary>
    public string Display
    {
        get
        {
            var line = new StringBuilder();
            foreach (var (name, value) in Environment)
            {
                line.Append(name).Append('=').Append(ShellQuote.Word(value)).Append(' ');
            }
            line.AppendJoin(' ', new[] { Program }.Concat(Arguments).Select(ShellQuote.Word));
            if (Input is not null)
            {
                line.Append(" <<'EOF'\n").Append(Input);
                if (!Input.EndsWith('\n'))
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
