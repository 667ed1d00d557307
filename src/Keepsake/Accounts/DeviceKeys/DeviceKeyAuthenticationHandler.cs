using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>Signs a request in by its <c>Authorization: Bearer</c> device key (checked by <see cref="DeviceKeyVerifier"/>).</summary>
public sealed class DeviceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DeviceKeyVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DeviceKey";
    public const string ScopeClaim = "keepsake:device-key-scope";
    public const string KeyIdClaim = "keepsake:device-key-id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!DeviceKeySecrets.TryReadBearer(Request, out var presented))
        {
            return AuthenticateResult.NoResult();
        }
        var (key, failure) = await verifier.VerifyAsync(presented, SchemeName, Context.RequestAborted);
        return key is null ? AuthenticateResult.Fail(failure!) : AuthenticateResult.Success(new AuthenticationTicket(key.Principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await DeviceKeyVerifier.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Device key refused", result.Failure?.Message ?? DeviceKeyVerifier.Unknown);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DeviceKeyVerifier.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Not allowed with this device key", DeviceKeyVerifier.ForbiddenDetail(Context));
}
