using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>Marks an endpoint an <c>upload</c> key may call; every other endpoint refuses such a key.</summary>
public sealed class AllowUploadKeysMetadata;

/// <summary>Marks an endpoint no device key may call, whatever its scope: it needs a signed-in session.</summary>
public sealed class SessionOnlyMetadata;

/// <summary>
/// For a protocol whose reads are not only GET and HEAD (WebDAV's PROPFIND and OPTIONS): the methods a <c>read</c> key may
/// use on the endpoint, and the ones an <c>upload</c> key may use besides those reads.
/// </summary>
public sealed class DeviceKeyMethodsMetadata(IReadOnlyCollection<string> readMethods, IReadOnlyCollection<string> uploadMethods)
{
    public IReadOnlyCollection<string> ReadMethods { get; } = readMethods;

    public IReadOnlyCollection<string> UploadMethods { get; } = uploadMethods;

    public bool Reads(string method) => ReadMethods.Contains(method, StringComparer.OrdinalIgnoreCase);

    public bool Uploads(string method) => Reads(method) || UploadMethods.Contains(method, StringComparer.OrdinalIgnoreCase);
}

public static class DeviceKeyEndpoints
{
    /// <summary>Says which methods <c>read</c> and <c>upload</c> keys may use on the endpoint (see <see cref="DeviceKeyMethodsMetadata"/>).</summary>
    public static TBuilder AllowKeyMethods<TBuilder>(this TBuilder builder, IReadOnlyCollection<string> readMethods, IReadOnlyCollection<string> uploadMethods)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DeviceKeyMethodsMetadata(readMethods, uploadMethods));

    /// <summary>Lets an <c>upload</c> key call the endpoint (a full key may already): for the routes a phone's backup uses.</summary>
    public static TBuilder AllowUploadKeys<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowUploadKeysMetadata());

    /// <summary>Refuses every device key: for what a stolen key must not do (make more keys, take the account over).</summary>
    public static TBuilder RequireSession<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SessionOnlyMetadata());
}

/// <summary>Added to every authorization policy by <see cref="DeviceKeyScopePolicyProvider"/>; a session always meets it.</summary>
public sealed class DeviceKeyScopeRequirement : IAuthorizationRequirement
{
    public static readonly DeviceKeyScopeRequirement Instance = new();
}

/// <summary>
/// The scopes' rules, secure by default: a <c>full</c> key may do what a session may, except endpoints marked
/// <see cref="SessionOnlyMetadata"/>; a <c>read</c> key in addition only GET and HEAD; an <c>upload</c> key only endpoints
/// marked <see cref="AllowUploadKeysMetadata"/>, so a new endpoint nobody marked is closed to it.
/// </summary>
public sealed class DeviceKeyScopeHandler : AuthorizationHandler<DeviceKeyScopeRequirement>
{
    /// <summary>Where the refusal's reason waits for <see cref="DeviceKeyAuthenticationHandler"/> to write the 403.</summary>
    public const string RefusalItem = "Keepsake.DeviceKeyRefusal";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DeviceKeyScopeRequirement requirement)
    {
        var scopeClaim = context.User.FindFirst(DeviceKeyAuthenticationHandler.ScopeClaim)?.Value;
        if (scopeClaim is null)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        if (context.Resource is not HttpContext http || !Enum.TryParse<DeviceKeyScope>(scopeClaim, out var scope))
        {
            return Task.CompletedTask;
        }
        var endpoint = http.GetEndpoint();
        var method = http.Request.Method;
        var methods = endpoint?.Metadata.GetMetadata<DeviceKeyMethodsMetadata>();
        var refusal = endpoint?.Metadata.GetMetadata<SessionOnlyMetadata>() is not null
            ? "Managing device keys, changing the password and erasing the account need a signed-in session, not a device key."
            : scope switch
            {
                DeviceKeyScope.Full => null,
                DeviceKeyScope.Read when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || methods?.Reads(method) == true => null,
                DeviceKeyScope.Read => methods is null
                    ? "This device key's scope is read: it may only read (GET and HEAD), not change anything."
                    : $"This device key's scope is read: it may only read ({string.Join(", ", methods.ReadMethods)}), not {method}.",
                _ when endpoint?.Metadata.GetMetadata<AllowUploadKeysMetadata>() is not null || methods?.Uploads(method) == true => null,
                _ => methods is null
                    ? "This device key's scope is upload: it may only upload photos and check which ones exist."
                    : $"This device key's scope is upload: it may only read and add ({string.Join(", ", methods.ReadMethods.Concat(methods.UploadMethods))}), not {method}.",
            };
        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            http.Items[RefusalItem] = refusal;
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Adds <see cref="DeviceKeyScopeRequirement"/> to the default policy and every named one, so no endpoint that needs a
/// signed-in user can forget the scopes.
/// </summary>
public sealed class DeviceKeyScopePolicyProvider(IOptions<AuthorizationOptions> options) : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _policies = new(options);

    public async Task<AuthorizationPolicy> GetDefaultPolicyAsync() => WithScopes(await _policies.GetDefaultPolicyAsync());

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _policies.GetFallbackPolicyAsync();

    public async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        await _policies.GetPolicyAsync(policyName) is { } policy ? WithScopes(policy) : null;

    private static AuthorizationPolicy WithScopes(AuthorizationPolicy policy) =>
        new AuthorizationPolicyBuilder(policy).AddRequirements(DeviceKeyScopeRequirement.Instance).Build();
}
