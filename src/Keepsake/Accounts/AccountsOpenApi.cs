using Keepsake.Accounts.DeviceKeys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Keepsake.Accounts;

/// <summary>
/// How a client signs in, in the OpenAPI document: the session cookie of a login, or a device key as a bearer token.
/// Each operation that needs a user names the ways it takes: both, or the session alone where a key may not go
/// (managing keys).
/// </summary>
public static class AccountsOpenApi
{
    public const string SessionScheme = "session";
    public const string DeviceKeyScheme = "deviceKey";

    public static IServiceCollection AddAccountsOpenApi(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = SessionCookieName,
                    Description = "The session cookie POST /api/auth/login sets. A write with it also sends the antiforgery token of "
                        + "GET /api/antiforgery in the header that answer names.",
                };
                document.Components.SecuritySchemes[DeviceKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "ks_<id>_<secret>",
                    Description = "A device key made by POST /api/auth/keys, as 'Authorization: Bearer <key>'. A full key opens what the "
                        + "session does (but the keys themselves), a read key only reads, an upload key only uploads (/api/uploads, "
                        + "POST /api/photos, POST /api/photos/exists). No antiforgery token is needed.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
                {
                    return Task.CompletedTask;
                }
                operation.Security = [Requirement(SessionScheme, context.Document)];
                if (!metadata.OfType<SessionOnlyMetadata>().Any())
                {
                    operation.Security.Add(Requirement(DeviceKeyScheme, context.Document));
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>The session cookie's name (behind TLS it is sent <c>__Host-</c> prefixed).</summary>
    public const string SessionCookieName = "keepsake.auth";

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
