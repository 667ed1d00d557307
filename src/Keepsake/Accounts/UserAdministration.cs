using System.Data;
using System.Data.Common;
using Keepsake.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Accounts;

public enum AdminChange
{
    Done,
    UnknownUser,
    LastAdmin,
}

/// <summary>
/// An admin's changes to another account: role, disabled, sessions, a lost password. Every change that could take away the last
/// enabled admin is one conditional UPDATE in a serializable transaction, so two admins demoting each other at
/// the same moment cannot both succeed.
/// </summary>
public sealed class UserAdministration(KeepsakeDbContext db, UserManager<KeepsakeUser> users)
{
    private const int Attempts = 5;

    /// <summary>Sets the admin flag and the disabled state (null leaves one as it is). Any change ends the
    /// user's sessions, so a demoted admin's cookie stops carrying the admin role at once.</summary>
    public async Task<(AdminChange Outcome, KeepsakeUser? User)> UpdateAsync(Guid id, bool? isAdmin, bool? disabled, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The execution strategy (reconnecting on PostgreSQL) must own the transaction, so it can run it again whole.
                return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => TryUpdateAsync(id, isAdmin, disabled, cancellationToken));
            }
            catch (Exception e) when (attempt < Attempts && IsSerializationFailure(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Ends every session of the user on every replica: a new security stamp (see <see cref="ActiveSessions"/>).</summary>
    public async Task<bool> SignOutEverywhereAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.SecurityStamp, NewStamp())
            .SetProperty(x => x.ConcurrencyStamp, NewStamp()), cancellationToken) > 0;

    /// <summary>
    /// Gives the user a new password, checked by the same rules as any other, and a new security stamp, which ends their
    /// sessions everywhere; one update, so a refused password leaves the old one in place.
    /// </summary>
    public async Task<(bool Found, IReadOnlyList<string> Errors)> ResetPasswordAsync(Guid id, string password)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user)
        {
            return (false, []);
        }
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
        }
        if (errors.Count > 0)
        {
            return (true, errors);
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        var saved = await users.UpdateSecurityStampAsync(user);
        return (true, saved.Errors.Select(e => e.Description).ToList());
    }

    private async Task<(AdminChange, KeepsakeUser?)> TryUpdateAsync(Guid id, bool? isAdmin, bool? disabled, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return (AdminChange.UnknownUser, null);
        }
        var admin = isAdmin ?? user.IsAdmin;
        var disable = disabled ?? user.IsDisabled;
        if (admin == user.IsAdmin && disable == user.IsDisabled)
        {
            return (AdminChange.Done, user);
        }
        var target = db.Users.Where(u => u.Id == id);
        var losesAnAdmin = user.IsAdmin && !user.IsDisabled && (!admin || disable);
        if (losesAnAdmin)
        {
            target = target.Where(u => db.Users.Any(o => o.Id != id && o.IsAdmin && o.PasswordHash != null && o.LockoutEnd != KeepsakeUser.DisabledUntil));
        }
        var lockoutEnd = disable ? KeepsakeUser.DisabledUntil : (DateTimeOffset?)null;
        var changed = await target.ExecuteUpdateAsync(u => u
            .SetProperty(x => x.IsAdmin, admin)
            .SetProperty(x => x.LockoutEnd, lockoutEnd)
            .SetProperty(x => x.SecurityStamp, NewStamp())
            .SetProperty(x => x.ConcurrencyStamp, NewStamp()), cancellationToken);
        if (changed == 0)
        {
            return (losesAnAdmin ? AdminChange.LastAdmin : AdminChange.UnknownUser, null);
        }
        await transaction.CommitAsync(cancellationToken);
        user.IsAdmin = admin;
        user.LockoutEnd = lockoutEnd;
        return (AdminChange.Done, user);
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    /// <summary>PostgreSQL's "could not serialize access" (SQLSTATE 40001): the other transaction won; run again on what it left.</summary>
    private static bool IsSerializationFailure(Exception e) =>
        e is DbException { SqlState: "40001" } || e.InnerException is DbException { SqlState: "40001" };
}
