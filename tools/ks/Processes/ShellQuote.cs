using System.Text.RegularExpressions;

namespace Keepsake.Ks.Processes;

/// <summary>POSIX shell quoting: what a word must look like for sh to read it back as exactly that string.</summary>
internal static partial class ShellQuote
{
    /// <summary>The word as it is when sh reads it so, else in single quotes (a quote inside becomes <c>'\''</c>).</summary>
    public static string Word(string value) => value.Length > 0 && Plain().IsMatch(value) ? value : Quoted(value);

    /// <summary>Always in single quotes, the one quoting in which sh expands nothing.</summary>
    public static string Quoted(string value) => "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex Plain();
}
