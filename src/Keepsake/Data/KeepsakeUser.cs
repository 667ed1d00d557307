using Microsoft.AspNetCore.Identity;

namespace Keepsake.Data;

public sealed class KeepsakeUser : IdentityUser<Guid>
{
    /// <summary>
    /// A disabled account's lockout end. Keepsake never locks an account for failed passwords (a stranger could),
    /// so a lockout end is only ever this value, set by an admin.
    /// </summary>
    public static readonly DateTimeOffset DisabledUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Admins create users; the owner (the first account) is an admin.</summary>
    public bool IsAdmin { get; set; }

    public DateTime CreatedAt { get; set; }

    public bool IsDisabled => LockoutEnd == DisabledUntil;
}
