using Keepsake.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts;

/// <summary>
/// A session cookie counts only while its account exists with the security stamp the cookie was issued with.
/// Identity's own check runs every half hour; an erased account (or any other new stamp) must end every
/// open session on the next request, on every replica, so this one indexed read runs on each request.
/// </summary>
internal static class ActiveSessions
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var identity = context.HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        if (principal?.FindFirst(identity.UserIdClaimType)?.Value is not { } id || !Guid.TryParse(id, out var userId))
        {
            return;
        }
        var stamp = principal.FindFirst(identity.SecurityStampClaimType)?.Value;
        var db = context.HttpContext.RequestServices.GetRequiredService<KeepsakeDbContext>();
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.SecurityStamp == stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
