using System.Text.Json;
using System.Text.RegularExpressions;
using Keepsake.Ks.Processes;

namespace Keepsake.Ks.Stages;

/// <summary>How <c>ks env</c> writes a stage's settings: for <c>eval</c> in any POSIX shell, a dotenv file, or JSON.</summary>
internal static partial class EnvironmentFormat
{
    public const string Sh = "sh";
    public const string Dotenv = "dotenv";
    public const string Json = "json";

    public static string[] All => [Sh, Dotenv, Json];

    public static string Write(Stage stage, string format) => format switch
    {
        Sh => Lines(stage, s => $"export {s.Variable}={ShellQuote.Quoted(s.Value)}"),
        Dotenv => Lines(stage, s => $"{s.Variable}={DotenvValue(s.Value)}"),
        Json => JsonSerializer.Serialize(new
        {
            stage = stage.Name,
            variables = stage.Settings.All.ToDictionary(s => s.Variable, s => s.Value),
            secrets = stage.Secrets.ToDictionary(s => s.Variable, s => s.Source),
        }, Indented) + "\n",
        _ => throw new KsException($"there is no format '{format}': use {string.Join(", ", All)}"),
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Lines(Stage stage, Func<Setting, string> line) => string.Concat(stage.Settings.All.Select(s => line(s) + "\n"));

    /// <summary>Bare when nothing in it means anything to a dotenv reader, else single-quoted (no expansion), else double-quoted.</summary>
    private static string DotenvValue(string value) =>
        PlainDotenv().IsMatch(value) ? value
        : !value.Contains('\'', StringComparison.Ordinal) ? $"'{value}'"
        : "\"" + value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", @"\$", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z0-9_@%+:,./-]*$")]
    private static partial Regex PlainDotenv();
}
