using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// A CustomResourceDefinition's <c>openAPIV3Schema</c> (vendored in Schemas/, see its README) as a JSON
/// Schema that validates like the API server with strict field validation: an unknown field fails
/// wherever the CRD does not say <c>x-kubernetes-preserve-unknown-fields</c>, and so does a wrong type.
/// </summary>
public sealed class CrdSchema
{
    private readonly JsonSchema schema;

    private CrdSchema(JsonSchema schema, string kind)
    {
        this.schema = schema;
        Kind = kind;
    }

    public string Kind { get; }

    /// <summary>The schema of <paramref name="apiVersion"/> <paramref name="kind"/> in the vendored file <paramref name="file"/> (plain or .gz).</summary>
    public static CrdSchema Load(string file, string apiVersion, string kind)
    {
        var path = Repository.PathOf("tests", "Keepsake.Deploy.Tests", "Schemas", file);
        using var stream = path.EndsWith(".gz", StringComparison.Ordinal) ? (Stream)new GZipStream(File.OpenRead(path), CompressionMode.Decompress) : File.OpenRead(path);
        using var reader = new StreamReader(stream);
        var (group, version) = (apiVersion.Split('/')[0], apiVersion.Split('/')[1]);
        var crd = YamlJson.Documents(reader.ReadToEnd()).Single(d =>
            d["spec"]!["group"]!.GetValue<string>() == group && d["spec"]!["names"]!["kind"]!.GetValue<string>() == kind);
        var served = crd["spec"]!["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == version)!;
        var openApi = served["schema"]!["openAPIV3Schema"]!.DeepClone().AsObject();
        MakeStrict(openApi);
        openApi["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return new CrdSchema(JsonSchema.FromText(openApi.ToJsonString(), options, new Uri($"https://keepsake.invalid/crds/{group}/{version}/{kind}")), kind);
    }

    /// <summary>Every way <paramref name="document"/> breaks the schema, as "location: message" (empty when valid).</summary>
    public IReadOnlyList<string> Problems(JsonNode document)
    {
        using var json = JsonDocument.Parse(document.ToJsonString());
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")
                .DefaultIfEmpty("invalid (no detail)").ToList();
    }

    /// <summary>
    /// OpenAPI v3 in a CRD drops unknown fields; JSON Schema accepts them unless told otherwise. Closing
    /// every object that lists its properties makes a misspelt field an error, as kubectl's strict mode does.
    /// </summary>
    private static void MakeStrict(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }
        if (schema["nullable"] is JsonValue nullable && nullable.GetValue<bool>() && schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
        }
        var preserves = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue keep && keep.GetValue<bool>();
        // Kubernetes' own keywords (list and map types, CEL rules) mean nothing to a JSON Schema validator,
        // which refuses unknown keywords; CEL rules go unchecked here.
        foreach (var extension in schema.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal) || k == "nullable").ToList())
        {
            schema.Remove(extension);
        }
        if (schema["properties"] is JsonObject properties)
        {
            if (!schema.ContainsKey("additionalProperties") && !preserves)
            {
                schema["additionalProperties"] = false;
            }
            foreach (var (_, property) in properties)
            {
                MakeStrict(property);
            }
        }
        MakeStrict(schema["items"]);
        MakeStrict(schema["additionalProperties"]);
        foreach (var combined in new[] { "allOf", "anyOf", "oneOf" }.Select(k => schema[k]).OfType<JsonArray>())
        {
            foreach (var part in combined)
            {
                MakeStrict(part);
            }
        }
    }
}
