using System.Text.Json.Nodes;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests.Tilt;

/// <summary>One call the Tiltfile made to Tilt's API, every parameter bound (defaults included).</summary>
public sealed record TiltCall(string Function, JsonObject Arguments)
{
    public string Text(string parameter) => Arguments[parameter]!.GetValue<string>();

    public IReadOnlyList<string> Texts(string parameter) => Arguments[parameter] switch
    {
        JsonArray list => list.Select(item => item!.GetValue<string>()).ToList(),
        JsonValue single => [single.GetValue<string>()],
        _ => [],
    };

    public IEnumerable<JsonObject> Objects(string parameter) => (Arguments[parameter] as JsonArray ?? []).OfType<JsonObject>();
}

/// <summary>
/// The repository's Tiltfile, executed by <c>Tilt/tilt_shim.py</c> (Python reads Tilt's Starlark; there is no Tilt binary
/// here) with recorders in place of Tilt's functions.
/// </summary>
public sealed class TiltfileRun
{
    private TiltfileRun(IReadOnlyList<TiltCall> calls) => Calls = calls;

    public IReadOnlyList<TiltCall> Calls { get; }

    /// <summary>The one image build (custom_build) the Tiltfile declares.</summary>
    public TiltCall ImageBuild => Assert.Single(Calls, c => c.Function == "custom_build");

    /// <summary>The image build's shell command split at its <c>&amp;&amp;</c>s, in order.</summary>
    public IReadOnlyList<string> ImageBuildSteps => ImageBuild.Text("command").Split(" && ").Select(s => s.Trim()).ToList();

    public IEnumerable<JsonObject> LiveUpdate(string step) => ImageBuild.Objects("live_update").Where(s => s["step"]!.GetValue<string>() == step);

    public IEnumerable<TiltCall> Of(string function) => Calls.Where(c => c.Function == function);

    public static async Task<TiltfileRun> RunAsync(IReadOnlyDictionary<string, string>? environment = null, string context = "kind-keepsake")
    {
        var result = await RunShimAsync(environment, context);
        Assert.True(result.ExitCode == 0, $"the Tiltfile does not run in the shim ({result.ExitCode}): {result.Error}");
        var calls = JsonNode.Parse(result.Output)!["calls"]!.AsArray()
            .Select(c => new TiltCall(c!["function"]!.GetValue<string>(), c["arguments"]!.AsObject()))
            .ToList();
        return new TiltfileRun(calls);
    }

    public static Task<ProcessResult> RunShimAsync(IReadOnlyDictionary<string, string>? environment = null, string context = "kind-keepsake") =>
        Repository.RunAsync("python3", [Shim, Repository.PathOf("Tiltfile"), "--context", context], environment, TimeSpan.FromSeconds(30));

    public static string Shim => Repository.PathOf("tests", "Keepsake.Deploy.Tests", "Tilt", "tilt_shim.py");
}
