using System.Reflection;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>What the manifests tell the binary (settings and verbs) is what the binary understands.</summary>
public sealed class SettingsAndCommandsTests
{
    private const string Prefix = "KEEPSAKE_";

    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task Every_keepsake_setting_in_the_manifests_is_one_the_binary_reads(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var known = KnownSettings();

        var named = rendered.All<V1ConfigMap>().SelectMany(c => c.Data.Keys)
            .Concat(rendered.Containers().SelectMany(c => (c.Container.Env ?? []).Select(e => e.Name)))
            .Where(k => k.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(k => k[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, setting => Assert.True(known.Contains(setting), $"{overlay} sets {setting}, which no options class of the binary reads"));
    }

    [Theory]
    [MemberData(nameof(ManifestTests.Overlays), MemberType = typeof(ManifestTests))]
    public async Task Every_command_a_manifest_runs_is_a_verb_of_the_binary_with_the_options_it_passes(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var commands = rendered.Containers().Where(c => c.Container.Image.Contains("/keepsake:", StringComparison.Ordinal) && c.Container.Args is { Count: > 0 })
            .Select(c => c.Container.Args).ToList();

        foreach (var arguments in commands)
        {
            var verb = arguments.TakeWhile(a => !a.StartsWith('-')).Where(a => a != "latest").ToList();
            var help = await Repository.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "keepsake.dll"), .. verb, "--help"], timeout: TimeSpan.FromSeconds(60));

            Assert.True(help.ExitCode == 0, $"keepsake {string.Join(' ', verb)} --help failed: {help.Error}");
            Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
            Assert.All(arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)), option => Assert.Contains(option, help.Output, StringComparison.Ordinal));
        }
    }

    /// <summary>Every setting path of every options class (<c>Section:Property[:Nested]</c>), case-insensitive like configuration.</summary>
    private static HashSet<string> KnownSettings()
    {
        var settings = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var optionsTypes = typeof(Keepsake.Data.DatabaseOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null);
        foreach (var (type, section) in optionsTypes)
        {
            AddProperties(settings, section!, type);
        }
        return settings;
    }

    private static void AddProperties(HashSet<string> settings, string path, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var propertyPath = $"{path}:{property.Name}";
            settings.Add(propertyPath);
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.PropertyType.Namespace?.StartsWith("Keepsake", StringComparison.Ordinal) == true)
            {
                AddProperties(settings, propertyPath, property.PropertyType);
            }
        }
    }
}
