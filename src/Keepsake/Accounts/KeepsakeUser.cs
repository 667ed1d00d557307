using Microsoft.AspNetCore.Identity;

namespace Keepsake.Accounts;

public sealed class KeepsakeUser : IdentityUser<Guid>
{
    /// <summary>Admins create users; the owner (the first account) is an admin.</summary>
    public bool IsAdmin { get; set; }

    public DateTime CreatedAt { get; set; }
}
