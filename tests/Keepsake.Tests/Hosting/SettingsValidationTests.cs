using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Keepsake.Tests.Hosting;

/// <summary>
/// Every settings class is checked, value by value, by the rule it declares: a wrong value is refused with a message that
/// names the setting, the value it has and what is allowed (the start-up tests show the message reaching the operator).
/// </summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class SettingsValidationTests
{
    public static TheoryData<string> Rules()
    {
        var rules = new TheoryData<string>();
        foreach (var (options, property, _) in DeclaredRules())
        {
            rules.Add($"{options.Name}.{property.Name}");
        }
        return rules;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_value_outside_a_declared_rule_is_refused_naming_the_setting_the_value_and_what_is_allowed(string rule)
    {
        var (options, property, attribute) = DeclaredRules().Single(r => $"{r.Options.Name}.{r.Property.Name}" == rule);
        var section = (string)options.GetField("Section")!.GetValue(null)!;
        var instance = Activator.CreateInstance(options)!;
        var (bad, shown, allowed) = Breaking(attribute, property.PropertyType);
        property.SetValue(instance, bad);

        var failures = Validate(options, section, instance);

        var failure = Assert.Single(failures, f => f.StartsWith($"{section}:{property.Name} ", StringComparison.Ordinal));
        Assert.Contains(shown, failure, StringComparison.Ordinal);
        Assert.All(allowed, a => Assert.Contains(a, failure, StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_of_every_settings_class_are_valid()
    {
        foreach (var options in OptionsClasses())
        {
            var section = (string)options.GetField("Section")!.GetValue(null)!;

            Assert.Empty(Validate(options, section, Activator.CreateInstance(options)!));
        }
    }

    [Fact]
    public void A_secret_that_breaks_a_rule_is_named_but_never_shown()
    {
        var failures = new SettingsValidation<SecretSettings>("Mail").Validate(null, new SecretSettings { SmtpPassword = "hunter2" }).Failures;

        var failure = Assert.Single(failures!);
        Assert.StartsWith("Mail:SmtpPassword is (a value not shown", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    private sealed class SecretSettings
    {
        [Length(12, 128)]
        public string SmtpPassword { get; set; } = "";
    }

    [Fact]
    public void Settings_classes_declare_only_rules_whose_failure_is_worded_for_a_person()
    {
        var others = OptionsClasses()
            .SelectMany(o => o.GetProperties().SelectMany(p => p.GetCustomAttributes<ValidationAttribute>().Select(a => (o, p, a))))
            .Where(r => r.a is not (RequiredAttribute or RangeAttribute or AllowedValuesAttribute))
            .Select(r => $"{r.o.Name}.{r.p.Name}: {r.a.GetType().Name}")
            .ToList();

        Assert.True(others.Count == 0, "Use [Required], [Range] or [AllowedValues] (SettingsValidation words them), or a rule in Validate that names the setting and its value:\n" + string.Join("\n", others));
    }

    private static IReadOnlyList<string> Validate(Type options, string section, object instance)
    {
        var validation = Activator.CreateInstance(typeof(SettingsValidation<>).MakeGenericType(options), section)!;
        var result = (ValidateOptionsResult)validation.GetType().GetMethod(nameof(IValidateOptions<object>.Validate))!.Invoke(validation, [null, instance])!;
        return result.Failures?.ToList() ?? [];
    }

    private static IEnumerable<Type> OptionsClasses() =>
        typeof(DatabaseOptions).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetField("Section") is { IsLiteral: true })
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static IEnumerable<(Type Options, PropertyInfo Property, ValidationAttribute Attribute)> DeclaredRules() =>
        OptionsClasses().SelectMany(o => o.GetProperties()
            .Select(p => (o, p, a: p.GetCustomAttributes<ValidationAttribute>().FirstOrDefault(a => a is RangeAttribute or AllowedValuesAttribute)))
            .Where(r => r.a is not null)
            .Select(r => (r.o, r.p, r.a!)));

    /// <summary>A value the rule refuses, how the message shows it, and what the message must offer instead.</summary>
    private static (object Bad, string Shown, string[] Allowed) Breaking(ValidationAttribute attribute, Type type)
    {
        switch (attribute)
        {
            case AllowedValuesAttribute allowed:
                return ("nonsense", "'nonsense'", allowed.Values.Select(v => $"{v}").ToArray());
            case RangeAttribute range:
                var maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture)!;
                var minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture)!;
                object bad = type == typeof(TimeSpan)
                    ? TimeSpan.Parse(maximum, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(1)
                    : Convert.ChangeType(Convert.ToDecimal(range.Minimum, CultureInfo.InvariantCulture) - 1, type, CultureInfo.InvariantCulture);
                return (bad, Convert.ToString(bad, CultureInfo.InvariantCulture)!, [minimum, maximum]);
            default:
                throw new InvalidOperationException($"no breaking value for {attribute.GetType().Name}");
        }
    }
}
