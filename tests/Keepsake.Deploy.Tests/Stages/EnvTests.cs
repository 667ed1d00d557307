using System.Text.Json;
using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;
using Keepsake.Ks.Processes;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary><c>ks env STAGE</c> prints what a real sh evaluates, and never a secret.</summary>
public sealed partial class EnvTests
{
    public static TheoryData<string> StageNames => [.. Keepsake.Ks.Stages.Stages.Names];

    [Theory]
    [MemberData(nameof(StageNames))]
    public async Task Ks_env_prints_only_export_lines_that_a_real_sh_evaluates_to_the_stage_settings(string stage)
    {
        var env = await Ks.RunAsync(["env", stage]);
        Assert.True(env.ExitCode == 0, env.ToString());

        var lines = Ks.Lines(env.Output);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(ExportLine(), line));
        var evaluated = await ShAsync("eval \"$KS_OUTPUT\" && env", new() { ["KS_OUTPUT"] = env.Output });
        var exported = Ks.Lines(evaluated).Where(l => l.StartsWith("KEEPSAKE_", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Keepsake.Ks.Stages.Stages.Find(stage)!.Settings.All.ToDictionary(s => s.Variable, s => s.Value);
        Assert.Equal(expected.OrderBy(p => p.Key), exported.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Shell_quoting_gives_sh_back_every_awkward_value_exactly()
    {
        string[] values = ["it's", "a b", "$HOME", "`date`", "back\\slash", "semi;colon", "new\nline", "", "\"double\"", "ünïcødé 🐣"];
        var script = string.Concat(values.Select(v => $"printf '%s\\0' {ShellQuote.Word(v)}\n"));

        var printed = await ShAsync(script, []);

        Assert.Equal(values, printed.Split('\0')[..^1]);
    }

    [Theory]
    [MemberData(nameof(StageNames))]
    public async Task Ks_env_never_prints_a_secret_and_says_where_each_comes_from(string stage)
    {
        var secrets = Keepsake.Ks.Stages.Stages.Find(stage)!.Secrets;
        Assert.All(secrets, s => Assert.Matches("^(KEEPSAKE_[A-Za-z0-9_]+|PGPASSWORD)$", s.Variable));
        foreach (var format in new[] { "sh", "dotenv" })
        {
            var env = await Ks.RunAsync(["env", stage, "--format", format]);
            Assert.True(env.ExitCode == 0, env.ToString());
            Assert.DoesNotContain("Password", env.Output, StringComparison.OrdinalIgnoreCase);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret.Variable, env.Output, StringComparison.Ordinal));
            Assert.Equal(secrets.Select(s => $"# {s.Variable}: not printed; it comes from {s.Source}"), Ks.Lines(env.Error));
        }
        var json = JsonDocument.Parse((await Ks.RunAsync(["env", stage, "--format", "json"])).Output).RootElement;
        var variables = json.GetProperty("variables").EnumerateObject().ToList();
        Assert.All(variables, v => Assert.DoesNotContain("Password", v.Value.GetString(), StringComparison.OrdinalIgnoreCase));
        Assert.Empty(variables.Select(v => v.Name).Intersect(secrets.Select(s => s.Variable)));
        Assert.Equal(secrets.Select(s => (s.Variable, s.Source)), json.GetProperty("secrets").EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)));
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task Staging_and_prod_settings_are_the_ones_their_overlays_give_the_app(string stage)
    {
        var rendered = await RenderedOverlay.RenderAsync(stage);
        var configMap = rendered.All<k8s.Models.V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith("keepsake-settings", StringComparison.Ordinal));
        var overlay = configMap.Data.Where(d => d.Key.StartsWith("KEEPSAKE_", StringComparison.Ordinal));

        var env = await Ks.RunAsync(["env", stage, "--format", "dotenv"]);

        var printed = Ks.Lines(env.Output).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(overlay.OrderBy(p => p.Key), printed.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Without_a_stage_ks_acts_on_KEEPSAKE_STAGE_and_without_either_it_says_what_to_type()
    {
        var inShell = await Ks.RunAsync(["env"], environment: new Dictionary<string, string> { ["KEEPSAKE_STAGE"] = "test" });
        var outside = await Ks.RunAsync(["env"]);
        var unknown = await Ks.RunAsync(["env", "qa"]);

        Assert.Equal((await Ks.RunAsync(["env", "test"])).Output, inShell.Output);
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("name a stage (test, local, staging, prod) or run ks inside 'ks shell STAGE'", outside.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no stage 'qa'", unknown.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs a real sh on <paramref name="script"/> with only <paramref name="environment"/> and a PATH (env -i): nothing of the test process leaks in.</summary>
    internal static async Task<string> ShAsync(string script, Dictionary<string, string> environment)
    {
        string[] variables = ["PATH=/usr/bin:/bin", .. environment.Select(v => $"{v.Key}={v.Value}")];
        var sh = await Repository.RunAsync("env", ["-i", .. variables, "sh", "-c", script]);
        Assert.True(sh.ExitCode == 0, $"sh failed ({sh.ExitCode}): {sh.Error}");
        return sh.Output;
    }

    [GeneratedRegex(@"^export KEEPSAKE_[A-Za-z0-9_]+='([^']|'\\'')*'$")]
    private static partial Regex ExportLine();
}
