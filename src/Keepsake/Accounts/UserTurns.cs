using Keepsake.Data;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Accounts;

/// <summary>
/// Makes one user's check-then-write operations take turns (a limit counted before a row is added, a folder looked up
/// before it is made): inside a transaction, a no-op update of the user's row makes the next such operation of the same
/// user wait until this one commits (a row lock on PostgreSQL; on SQLite, the one writer's lock taken first, so a second
/// writer waits instead of failing when it tries to upgrade a read).
/// </summary>
public static class UserTurns
{
    public static Task TakeAsync(KeepsakeDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.ConcurrencyStamp, x => x.ConcurrencyStamp), cancellationToken);
}
