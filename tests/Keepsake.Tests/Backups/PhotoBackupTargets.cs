using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Backups;

/// <summary>An app's verb environment with a photo backup target set, as an operator's <c>KEEPSAKE_Backups__Photos__*</c> variables do.</summary>
public static class PhotoBackupTargets
{
    public static Dictionary<string, string?> Folder(string path) => new()
    {
        ["Backups:Photos:Provider"] = "filesystem",
        ["Backups:Photos:Path"] = path,
    };

    public static Dictionary<string, string?> With(KeepsakeApp app, IDictionary<string, string?> target)
    {
        var environment = app.Environment.ToDictionary();
        foreach (var (key, value) in target)
        {
            environment[Variable(key)] = value;
        }
        return environment;
    }

    public static string Variable(string setting) => "KEEPSAKE_" + setting.Replace(":", "__", StringComparison.Ordinal);
}
