using Keepsake.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Accounts;

/// <summary>Creating accounts, shared by the setup page, the admin API and <c>keepsake user create</c>.</summary>
public sealed class UserAccounts(UserManager<KeepsakeUser> users, KeepsakeDbContext db, TimeProvider time)
{
    public Task<bool> OwnerExistsAsync(CancellationToken cancellationToken) => db.Users.AnyAsync(u => u.IsAdmin, cancellationToken);

    /// <summary>Creates a user; the errors are Identity's, worded for people (weak password, e-mail taken).</summary>
    public async Task<(KeepsakeUser? User, IReadOnlyList<string> Errors)> CreateAsync(string email, string password, bool isAdmin)
    {
        email = email.Trim();
        var user = new KeepsakeUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            IsAdmin = isAdmin,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, password);
        return result.Succeeded ? (user, []) : (null, result.Errors.Select(e => e.Description).ToList());
    }

    public Task<List<KeepsakeUser>> ListAsync(CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);
}
