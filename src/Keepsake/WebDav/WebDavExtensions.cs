using Keepsake.Accounts.DeviceKeys;

namespace Keepsake.WebDav;

public static class WebDavExtensions
{
    /// <summary>The tree and the policy that signs WebDAV requests in by HTTP Basic with a device key, and by nothing else.</summary>
    public static IServiceCollection AddKeepsakeWebDav(this IServiceCollection services)
    {
        services.AddScoped<DavTree>();
        services.AddAuthorizationBuilder().AddPolicy(WebDavApi.Policy, policy => policy
            .AddAuthenticationSchemes(DeviceKeyBasicAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        return services;
    }
}
