using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>
/// Signs a request in by HTTP Basic with the owner's e-mail as the user name and a device key (never the password) as the
/// password: what WebDAV clients (rclone, PhotoSync, file managers) can send. The key is checked by
/// <see cref="DeviceKeyVerifier"/> like a bearer key; the e-mail must be its owner's. Failures are throttled per client
/// address and per address and e-mail, as password logins are (<see cref="FailedAttemptThrottle"/>). Only endpoints whose
/// policy names this scheme use it: Basic never opens the JSON API.
/// </summary>
public sealed class DeviceKeyBasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DeviceKeyVerifier verifier,
    FailedAttemptThrottle throttle,
    IOptions<AccountsOptions> accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DeviceKeyBasic";
    public const string Challenge = "Basic realm=\"Keepsake\", charset=\"UTF-8\"";

    private const string WrongUser = "The user name must be the e-mail address of the device key's owner.";
    private const string Unreadable = "The Authorization header is not HTTP Basic with an e-mail address and a device key.";
    private TimeSpan? _wait;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBasic(Request, out var user, out var presented))
        {
            return Request.Headers.Authorization.Count == 0 ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(Unreadable);
        }
        var addressKey = FailedAttemptThrottle.KeyFor(Context, "device-key");
        var accountKey = $"{addressKey}|{user.ToUpperInvariant()}";
        if (throttle.RetryAfter(addressKey, accountKey) is { } wait)
        {
            _wait = wait;
            return AuthenticateResult.Fail("Too many failed attempts.");
        }
        var (key, failure) = await verifier.VerifyAsync(presented, SchemeName, Context.RequestAborted);
        if (key is not null && string.Equals(key.OwnerName, user, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(key.Principal, SchemeName));
        }
        throttle.RecordFailure(accountKey);
        throttle.RecordFailure(addressKey, accounts.Value.FailedLoginLimitPerAddress);
        return AuthenticateResult.Fail(failure ?? WrongUser);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (_wait is { } wait)
        {
            await AccountsApi.TooManyAttempts(Context, wait).ExecuteAsync(Context);
            return;
        }
        Response.Headers.WWWAuthenticate = Challenge;
        await DeviceKeyVerifier.WriteProblemAsync(Context, StatusCodes.Status401Unauthorized, "Device key refused",
            result.Failure?.Message ?? "Sign in with HTTP Basic: your e-mail address as the user name and a device key (never your password) as the password.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DeviceKeyVerifier.WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "Not allowed with this device key", DeviceKeyVerifier.ForbiddenDetail(Context));

    private static bool TryReadBasic(HttpRequest request, out string user, out string password)
    {
        user = password = "";
        var header = request.Headers.Authorization.ToString().Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var length))
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(decoded[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        (user, password) = (text[..colon], text[(colon + 1)..]);
        return true;
    }
}
