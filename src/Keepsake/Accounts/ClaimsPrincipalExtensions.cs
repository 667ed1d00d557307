using System.Security.Claims;

namespace Keepsake.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id; only call it behind <c>RequireAuthorization</c>.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request is not authenticated."));
}
