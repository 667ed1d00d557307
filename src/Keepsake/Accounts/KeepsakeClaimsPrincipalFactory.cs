using System.Security.Claims;
using Keepsake.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts;

/// <summary>Puts the admin flag into the cookie as a role, so authorization needs no database read.</summary>
public sealed class KeepsakeClaimsPrincipalFactory(UserManager<KeepsakeUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<KeepsakeUser>(users, options)
{
    public const string AdminRole = "admin";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(KeepsakeUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.IsAdmin)
        {
            identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, AdminRole));
        }
        return identity;
    }
}
