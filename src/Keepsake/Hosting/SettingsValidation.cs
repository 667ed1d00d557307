using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Keepsake.Hosting;

/// <summary>
/// Checks a settings section's data annotations, then its own rules (<see cref="IValidatableObject"/>), and words each
/// failure for the person who set it: the setting's full name, the value it has, and what is allowed, e.g.
/// <c>Database:Provider is 'mysql'; use one of: sqlite, postgres.</c> (the framework's own message names neither).
/// </summary>
public sealed class SettingsValidation<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(options);
            failures.AddRange(property.GetCustomAttributes<ValidationAttribute>()
                .Where(attribute => !attribute.IsValid(value))
                .Select(attribute => Describe($"{section}:{property.Name}", IsSecret(property.Name) ? Hidden : value, attribute)));
        }
        if (failures.Count == 0 && options is IValidatableObject rules)
        {
            failures.AddRange(rules.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? $"{section} is not valid."));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private const string Hidden = "(a value not shown: it may be a secret)";

    /// <summary>A secret's value never reaches a log or a terminal, even when it is wrong.</summary>
    private static bool IsSecret(string property) =>
        new[] { "Secret", "SecretKey", "Password", "ConnectionString", "EncryptionKey" }.Any(word => property.EndsWith(word, StringComparison.Ordinal));

    private static string Describe(string setting, object? value, ValidationAttribute attribute) => attribute switch
    {
        RequiredAttribute => $"{setting} is not set; it is required.",
        AllowedValuesAttribute allowed => $"{setting} is {Show(value)}; use one of: {string.Join(", ", allowed.Values)}.",
        RangeAttribute range => $"{setting} is {Show(value)}; use a value from {range.Minimum} to {range.Maximum}.",
        _ => $"{setting} is {Show(value)}: {attribute.FormatErrorMessage(setting)}",
    };

    private static string Show(object? value) => value switch
    {
        null => "not set",
        Hidden => Hidden,
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
