using System.Security.Claims;
using System.Text.Encodings.Web;
using Keepsake.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>
/// Signs a request in by its <c>Authorization: Bearer</c> device key: one read by primary key (with the owner, who must
/// still be enabled), a constant-time comparison of the hash, and at most one write a minute to note the key's last use.
/// The principal has the owner's id and name but never the admin role: admin tasks need a session.
/// </summary>
public sealed class DeviceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeepsakeDbContext db,
    TimeProvider time,
    IOptions<IdentityOptions> identity,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DeviceKey";
    public const string ScopeClaim = "keepsake:device-key-scope";
    public const string KeyIdClaim = "keepsake:device-key-id";

    /// <summary>How exactly "last used" is kept: a key used all day writes its row once per this time, not once per request.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    private const string Malformed = "The Authorization header holds no Keepsake device key; a key starts with ks_ and is shown once when it is created.";
    private const string Unknown = "This device key is unknown or was revoked; create a new one on the Account page.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!DeviceKeySecrets.TryReadBearer(Request, out var presented))
        {
            return AuthenticateResult.NoResult();
        }
        if (!DeviceKeySecrets.TryParse(presented, out var id))
        {
            return AuthenticateResult.Fail(Malformed);
        }
        var found = await db.DeviceKeys.AsNoTracking()
            .Where(k => k.Id == id)
            .Join(db.Users.Where(u => u.LockoutEnd != KeepsakeUser.DisabledUntil), k => k.OwnerId, u => u.Id,
                (k, u) => new { k.SecretHash, k.Scope, k.LastUsedAt, k.OwnerId, u.UserName })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null || !DeviceKeySecrets.Matches(presented, found.SecretHash))
        {
            return AuthenticateResult.Fail(Unknown);
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedPrecision)
        {
            var noted = now - LastUsedPrecision;
            // Conditional, so replicas serving the same key at once write it once.
            await db.DeviceKeys.Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt <= noted))
                .ExecuteUpdateAsync(k => k.SetProperty(x => x.LastUsedAt, now), Context.RequestAborted);
        }
        var claims = identity.Value.ClaimsIdentity;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(claims.UserIdClaimType, found.OwnerId.ToString()),
            new Claim(claims.UserNameClaimType, found.UserName ?? ""),
            new Claim(ScopeClaim, found.Scope.ToString()),
            new Claim(KeyIdClaim, id.ToString()),
        ], SchemeName, claims.UserNameClaimType, claims.RoleClaimType));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Device key refused", result.Failure?.Message ?? Unknown);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed with this device key",
            Context.Items[DeviceKeyScopeHandler.RefusalItem] as string
            ?? "Admin tasks need a signed-in session; a device key never carries admin rights.");

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
