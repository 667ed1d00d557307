using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Keepsake.Hosting;

/// <summary>
/// The OpenAPI document the web client's types are generated from (src/Keepsake.Web/openapi.json), saying what the
/// endpoints' own metadata cannot: that every error is an RFC 7807 problem, and that numbers are numbers.
/// </summary>
public static class KeepsakeOpenApi
{
    private const string ProblemSchema = nameof(ProblemDetails);

    public static IServiceCollection AddKeepsakeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer((schema, _, _) =>
            {
                NumbersAreNumbers(schema);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(async (document, context, cancellationToken) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                if (!document.Components.Schemas.ContainsKey(ProblemSchema))
                {
                    document.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
                }
                ErrorsAreProblems(document);
            });
        });

    /// <summary>
    /// The web JSON defaults also read numbers written as strings, so the generated schema allows both; the server
    /// only ever writes numbers, and a client should send them.
    /// </summary>
    private static void NumbersAreNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

    /// <summary>
    /// Problem details, the status code pages and the exception handlers answer every failure with
    /// <c>application/problem+json</c>, also where an endpoint returns a bare <c>NotFound()</c>.
    /// </summary>
    private static void ErrorsAreProblems(OpenApiDocument document)
    {
        var problem = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
        };
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            operation.Responses ??= [];
            foreach (var (status, response) in operation.Responses)
            {
                if (status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
                {
                    bare.Content = new Dictionary<string, OpenApiMediaType>(problem);
                }
            }
            operation.Responses.TryAdd("default", new OpenApiResponse { Description = "A problem (RFC 7807)", Content = new Dictionary<string, OpenApiMediaType>(problem) });
        }
    }
}
