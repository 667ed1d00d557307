using System.Globalization;
using System.Reflection;
using Keepsake.Deploy.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary>What <c>ks env</c> prints is what the app reads: every name binds an option, and a started app uses the values.</summary>
public sealed class AppReadsStageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ks-app-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(EnvTests.StageNames), MemberType = typeof(EnvTests))]
    public void Every_variable_ks_env_prints_binds_to_a_property_of_the_apps_options_with_its_value(string stage)
    {
        var sections = OptionsClassesBySection();
        foreach (var setting in Keepsake.Ks.Stages.Stages.Find(stage)!.Settings.All)
        {
            // The environment provider's rule, on the app's prefix: KEEPSAKE_Storage__S3__Bucket is Storage:S3:Bucket.
            Assert.StartsWith(KeepsakeCoreExtensions.EnvironmentPrefix, setting.Variable, StringComparison.Ordinal);
            var path = setting.Variable[KeepsakeCoreExtensions.EnvironmentPrefix.Length..].Split("__");
            Assert.True(sections.TryGetValue(path[0], out var optionsClass), $"{setting.Variable}: no options class of the app has the section {path[0]}");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(string.Join(':', path), setting.Value)]).Build();

            // An unknown key fails the binding, so each name is a real property, and its value converts to the property's type.
            var bound = configuration.GetSection(path[0]).Get(optionsClass, binder => binder.ErrorOnUnknownConfiguration = true);

            var value = path[1..].Aggregate(bound, (owner, name) => owner!.GetType().GetProperty(name)!.GetValue(owner));
            Assert.Equal(setting.Value, Convert.ToString(value, CultureInfo.InvariantCulture), ignoreCase: true);
        }
    }

    [Fact]
    public async Task The_app_started_with_the_test_stage_env_keeps_its_database_and_photos_where_the_stage_says()
    {
        var env = await Ks.RunAsync(["env", "test"]);

        var created = await RunWithEnvAsync(env.Output,
            "printf 'correct horse battery\\n' | dotnet \"$KEEPSAKE_DLL\" user create owner@example.com --admin --password-stdin");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "artifacts", "stages", "test", "keepsake.db")), "the database is not where KEEPSAKE_Database__ConnectionString says");
        Assert.True(Directory.Exists(Path.Combine(_folder.FullName, "artifacts", "stages", "test", "data")), "the photo folder is not where KEEPSAKE_Storage__Path says");
        Assert.False(Directory.Exists(Path.Combine(_folder.FullName, "data")), "the app used its built-in default folder");
    }

    [Fact]
    public async Task The_server_started_with_the_local_stage_env_goes_to_the_database_ks_port_forward_brings_to_loopback()
    {
        var env = await Ks.RunAsync(["env", "local"]);

        var server = await RunWithEnvAsync(env.Output, "exec dotnet \"$KEEPSAKE_DLL\" --urls http://127.0.0.1:0");

        // Nothing listens on the forwarded port here, so the server stops at its start-up check, naming where it looked.
        Assert.Equal(1, server.ExitCode);
        Assert.Contains("keepsake cannot start: Database:ConnectionString: PostgreSQL at 127.0.0.1:15432 (database 'keepsake')", server.Error, StringComparison.Ordinal);
    }

    /// <summary>A real sh evaluates what ks printed, then runs <paramref name="command"/> in this test's folder.</summary>
    private async Task<ProcessResult> RunWithEnvAsync(string printed, string command) =>
        await Repository.RunAsync("sh", ["-c", $"cd \"$WORK\" && eval \"$KS_OUTPUT\" && {command}"], new Dictionary<string, string>
        {
            ["WORK"] = _folder.FullName,
            ["KS_OUTPUT"] = printed,
            ["KEEPSAKE_DLL"] = Ks.KeepsakeDll,
        }, TimeSpan.FromSeconds(60));

    private static Dictionary<string, Type> OptionsClassesBySection() =>
        typeof(KeepsakeCoreExtensions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .ToDictionary(t => t.Section!, t => t.Type);
}
