using Keepsake.Accounts.DeviceKeys;
using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Secrets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts;

public static class AccountsExtensions
{
    /// <summary>Identity without cookies: enough for the command line to create and list users.</summary>
    public static IHostApplicationBuilder AddKeepsakeAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AccountsOptions>(AccountsOptions.Section);
        builder.Services.AddIdentityCore<KeepsakeUser>()
            .AddEntityFrameworkStores<KeepsakeDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<KeepsakeClaimsPrincipalFactory>();
        // Keys live in the database, so every replica (and every restart) reads the same cookies; each is sealed
        // with the key-encryption key first, so a database backup alone cannot forge a session.
        builder.Services.AddDataProtection().SetApplicationName("keepsake").PersistKeysToDbContext<KeepsakeDbContext>()
            .ProtectKeysWithKeyEncryptionKey();
        builder.Services.AddOptions<IdentityOptions>().Configure<IOptions<AccountsOptions>>((identity, accounts) =>
        {
            // Length over composition rules, as NIST SP 800-63B recommends.
            identity.Password.RequiredLength = accounts.Value.MinimumPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 1;
            identity.User.RequireUniqueEmail = true;
            // No account is ever locked for failed passwords: a stranger could lock anyone out. FailedAttemptThrottle
            // slows the guesser instead; a lockout end only marks an account an admin disabled.
            identity.Lockout.AllowedForNewUsers = false;
        });
        builder.Services.AddScoped<UserAccounts>();
        builder.Services.AddScoped<UserAdministration>();
        return builder;
    }

    /// <summary>The scheme every request is authenticated with: a device key when it carries <c>Authorization: Bearer</c>, else the session cookie.</summary>
    public const string SessionOrDeviceKeyScheme = "SessionOrDeviceKey";

    /// <summary>Cookie sign-in, device keys, antiforgery and the admin policy, for the web server.</summary>
    public static IServiceCollection AddKeepsakeWebAccounts(this IServiceCollection services)
    {
        // A bearer request never reads the cookie: it stands or falls by its key alone.
        var authentication = services.AddAuthentication(SessionOrDeviceKeyScheme);
        authentication.AddPolicyScheme(SessionOrDeviceKeyScheme, "A session cookie or a device key", scheme => scheme.ForwardDefaultSelector =
            context => DeviceKeySecrets.IsBearer(context.Request) ? DeviceKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);
        authentication.AddScheme<AuthenticationSchemeOptions, DeviceKeyAuthenticationHandler>(DeviceKeyAuthenticationHandler.SchemeName, null);
        // Not in the default selector: only an endpoint whose policy names it (WebDAV) reads HTTP Basic.
        authentication.AddScheme<AuthenticationSchemeOptions, DeviceKeyBasicAuthenticationHandler>(DeviceKeyBasicAuthenticationHandler.SchemeName, null);
        services.AddScoped<DeviceKeyVerifier>();
        services.AddAccountsOpenApi();
        authentication.AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = AccountsOpenApi.SessionCookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request is https, also behind a TLS-terminating proxy (see ReverseProxyExtensions).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.CookieManager = new HostPrefixedCookieManager(new ChunkingCookieManager());
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
            cookie.SlidingExpiration = true;
            // An API answers with a status, never a redirect to a login page.
            cookie.Events.OnRedirectToLogin = context => WriteStatusAsync(context.HttpContext, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => WriteStatusAsync(context.HttpContext, StatusCodes.Status403Forbidden);
            var validateStamp = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                await validateStamp(context);
                if (context.Principal is not null)
                {
                    await ActiveSessions.ValidateAsync(context);
                }
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(KeepsakeClaimsPrincipalFactory.AdminRole, policy => policy.RequireRole(KeepsakeClaimsPrincipalFactory.AdminRole));
        services.AddSingleton<IAuthorizationPolicyProvider, DeviceKeyScopePolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, DeviceKeyScopeHandler>();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = "X-XSRF-TOKEN";
            options.Cookie.Name = "keepsake.antiforgery";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<FailedAttemptThrottle>();
        services.AddSingleton<PasswordCheck>();
        return services;
    }

    private static Task WriteStatusAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Not signed in" : "Not allowed",
                Detail = status == StatusCodes.Status401Unauthorized ? "Log in to do this." : "Your account is not allowed to do this.",
            },
        }).AsTask();
    }
}
