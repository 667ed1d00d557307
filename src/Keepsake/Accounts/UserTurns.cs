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
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction that first takes the user's turn, and commits what it wrote (a
    /// refusal writes nothing); run again whole when the provider's execution strategy retries.
    /// </summary>
    public static Task<T> InTurnAsync<T>(KeepsakeDbContext db, Guid userId, Func<Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.ConcurrencyStamp, x => x.ConcurrencyStamp), cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        });
}
