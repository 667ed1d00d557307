using Microsoft.Extensions.Configuration;

namespace Keepsake.Ks.Stages;

/// <summary>
/// One of the app's settings with its value in a stage. The key is built from the app's options classes
/// (<c>Setting.KeyOf(StorageOptions.Section, nameof(StorageOptions.Path))</c>), so a renamed option breaks the build, not a stage.
/// </summary>
internal sealed record Setting(string Key, string Value)
{
    /// <summary>What the environment configuration provider reads as the key delimiter <c>:</c>.</summary>
    private const string EnvironmentSeparator = "__";

    /// <summary>The variable the app reads it from: <c>KEEPSAKE_Storage__Path</c>.</summary>
    public string Variable => VariableOf(Key);

    public static string KeyOf(params string[] path) => ConfigurationPath.Combine(path);

    public static string VariableOf(string key) =>
        KeepsakeCoreExtensions.EnvironmentPrefix + key.Replace(ConfigurationPath.KeyDelimiter, EnvironmentSeparator, StringComparison.Ordinal);
}

/// <summary>Where a secret a stage needs comes from; its value is never in ks.</summary>
internal sealed record SecretSource(string Variable, string Source);

/// <summary>A stage's settings in order; a stage built on another replaces, adds or drops some.</summary>
internal sealed class SettingList(IReadOnlyList<Setting> settings)
{
    public static readonly SettingList Empty = new([]);

    public IReadOnlyList<Setting> All => settings;

    /// <summary>These settings, each replacing one with its key in place, or added at the end.</summary>
    public SettingList With(params Setting[] changes)
    {
        var result = settings.ToList();
        foreach (var change in changes)
        {
            var index = result.FindIndex(s => s.Key == change.Key);
            if (index >= 0)
            {
                result[index] = change;
            }
            else
            {
                result.Add(change);
            }
        }
        return new SettingList(result);
    }

    public SettingList Without(params string[] keys) => new([.. settings.Where(s => !keys.Contains(s.Key))]);

    public string? ValueOf(string key) => settings.FirstOrDefault(s => s.Key == key)?.Value;
}
