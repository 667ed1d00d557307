using Keepsake.Data;
using Microsoft.AspNetCore.Identity;

namespace Keepsake.Accounts;

/// <summary>
/// Checks an e-mail and password with the same work whatever the outcome: an unknown e-mail (or an erased account,
/// or a disabled one) still costs one password hash, so neither the answer nor its timing tells whether the
/// account exists. The hash it checks instead is made once per server by the server's own hasher, so it costs
/// what a stored hash costs.
/// </summary>
public sealed class PasswordCheck
{
    private readonly Lock _gate = new();
    private string? _dummyHash;

    /// <summary>The account, when the password is its own and the account may sign in; otherwise null.</summary>
    public async Task<KeepsakeUser?> FindVerifiedAsync(UserManager<KeepsakeUser> users, string email, string password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user?.PasswordHash is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new KeepsakeUser(), DummyHash(users.PasswordHasher), password);
            return null;
        }
        var matches = await users.CheckPasswordAsync(user, password);
        return matches && !user.IsDisabled ? user : null;
    }

    private string DummyHash(IPasswordHasher<KeepsakeUser> hasher)
    {
        lock (_gate)
        {
            return _dummyHash ??= hasher.HashPassword(new KeepsakeUser(), Guid.NewGuid().ToString("N"));
        }
    }
}
