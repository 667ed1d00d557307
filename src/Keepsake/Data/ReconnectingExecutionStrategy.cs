using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Keepsake.Data;

/// <summary>
/// PostgreSQL's restart or failover ends every session, but Npgsql keeps the idle connections in its pool and
/// learns that one is dead only when a command uses it. So a command that fails as transient empties the pool
/// and runs once more, at once, on a new connection: the first requests after the database is back are served,
/// not answered 503. While the database is down the second try fails as well and the caller gets the 503.
/// </summary>
internal sealed class ReconnectingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount: 1, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null)
{
    protected override bool ShouldRetryOn(Exception? exception)
    {
        if (!base.ShouldRetryOn(exception))
        {
            return false;
        }
        NpgsqlConnection.ClearAllPools();
        return true;
    }
}
