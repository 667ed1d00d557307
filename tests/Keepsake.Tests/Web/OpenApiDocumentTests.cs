using System.Text.Json;
using System.Text.Json.Nodes;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Web;

/// <summary>
/// The web client's types are generated from src/Keepsake.Web/openapi.json, so that file must be what the server
/// serves. <c>scripts/generate-api-client.sh</c> rewrites it (through this test, with <c>KEEPSAKE_UPDATE_OPENAPI=1</c>)
/// and then the TypeScript generated from it.
/// </summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.Server server) : IClassFixture<OpenApiDocumentTests.Server>
{
    /// <summary>One app for the class (xunit needs a fixture with a single parameterless constructor).</summary>
    public sealed class Server : IDisposable
    {
        public KeepsakeApp App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    private const string RegenerateCommand = "scripts/generate-api-client.sh";

    private static readonly string CommittedPath = Path.Combine(TestData.RepositoryRoot, "src", "Keepsake.Web", "openapi.json");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task The_committed_openapi_document_matches_what_the_server_serves()
    {
        var served = Normalise(await server.App.CreateClient().GetStringAsync("/openapi/v1.json"));
        if (Environment.GetEnvironmentVariable("KEEPSAKE_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
        }

        var committed = File.Exists(CommittedPath) ? Normalise(await File.ReadAllTextAsync(CommittedPath)) : "";

        Assert.True(committed == served,
            $"{CommittedPath} is not what the server serves at /openapi/v1.json; run {RegenerateCommand} and commit the result.");
    }

    [Fact]
    public async Task The_document_says_which_operations_take_a_session_or_a_device_key_and_which_need_neither()
    {
        var document = JsonNode.Parse(await server.App.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        string Ways(string path, string method) =>
            document["paths"]![path]![method]!["security"] is JsonArray security
                ? string.Join(" or ", security.Select(requirement => string.Join("+", requirement!.AsObject().Select(scheme => scheme.Key))))
                : "anyone";

        Assert.Equal("http", document["components"]!["securitySchemes"]!["deviceKey"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["deviceKey"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", document["components"]!["securitySchemes"]!["session"]!["in"]!.GetValue<string>());
        Assert.Equal("session or deviceKey", Ways("/api/photos", "get"));
        Assert.Equal("session or deviceKey", Ways("/api/photos/exists", "post"));
        Assert.Equal("session", Ways("/api/auth/keys", "post"));
        Assert.Equal("anyone", Ways("/api/auth/login", "post"));
        Assert.Equal("anyone", Ways("/api/s/{token}", "get"));
    }

    /// <summary>One layout for both sides; the servers list names whichever host was asked, so it is left out.</summary>
    private static string Normalise(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }
}
