using System.Security.Claims;
using Keepsake.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>A key that passed: the principal to sign the request in with, and its owner's user name (their e-mail).</summary>
public sealed record VerifiedDeviceKey(ClaimsPrincipal Principal, string OwnerName);

/// <summary>
/// Checks a presented device key, however it came (<c>Authorization: Bearer</c>, or HTTP Basic for WebDAV): one read by
/// primary key (with the owner, who must still be enabled), a constant-time comparison of the hash, and at most one write
/// a minute to note the key's last use. The principal has the owner's id and name but never the admin role: admin tasks
/// need a session.
/// </summary>
public sealed class DeviceKeyVerifier(KeepsakeDbContext db, TimeProvider time, IOptions<IdentityOptions> identity)
{
    public const string Malformed = "The Authorization header holds no Keepsake device key; a key starts with ks_ and is shown once when it is created.";
    public const string Unknown = "This device key is unknown or was revoked; create a new one on the Account page.";

    /// <summary>How exactly "last used" is kept: a key used all day writes its row once per this time, not once per request.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>The key's principal for <paramref name="scheme"/>, or the reason it is refused.</summary>
    public async Task<(VerifiedDeviceKey? Key, string? Failure)> VerifyAsync(string presented, string scheme, CancellationToken cancellationToken)
    {
        if (!DeviceKeySecrets.TryParse(presented, out var id))
        {
            return (null, Malformed);
        }
        var found = await db.DeviceKeys.AsNoTracking()
            .Where(k => k.Id == id)
            .Join(db.Users.Where(u => u.LockoutEnd != KeepsakeUser.DisabledUntil), k => k.OwnerId, u => u.Id,
                (k, u) => new { k.SecretHash, k.Scope, k.LastUsedAt, k.OwnerId, u.UserName })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null || !DeviceKeySecrets.Matches(presented, found.SecretHash))
        {
            return (null, Unknown);
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedPrecision)
        {
            var noted = now - LastUsedPrecision;
            // Conditional, so replicas serving the same key at once write it once.
            await db.DeviceKeys.Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt <= noted))
                .ExecuteUpdateAsync(k => k.SetProperty(x => x.LastUsedAt, now), cancellationToken);
        }
        var claims = identity.Value.ClaimsIdentity;
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(claims.UserIdClaimType, found.OwnerId.ToString()),
            new Claim(claims.UserNameClaimType, found.UserName ?? ""),
            new Claim(DeviceKeyAuthenticationHandler.ScopeClaim, found.Scope.ToString()),
            new Claim(DeviceKeyAuthenticationHandler.KeyIdClaim, id.ToString()),
        ], scheme, claims.UserNameClaimType, claims.RoleClaimType));
        return (new VerifiedDeviceKey(principal, found.UserName ?? ""), null);
    }

    /// <summary>A 401 or 403 problem, as every device-key refusal is written.</summary>
    public static Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    /// <summary>Why the scope handler refused the request, for the 403.</summary>
    public static string ForbiddenDetail(HttpContext context) =>
        context.Items[DeviceKeyScopeHandler.RefusalItem] as string
        ?? "Admin tasks need a signed-in session; a device key never carries admin rights.";
}
