using Npgsql;

namespace Keepsake.Backups;

/// <summary>
/// Empties the live schema before a restore: every table and every function of the schema's own (the search index's
/// trigger functions, say; not those an extension owns, which the dump creates only if missing). Dropping first, rather
/// than <c>--clean</c>, also removes what migrations newer than the backup made, so migrating forward afterwards finds
/// the schema the backup had.
/// </summary>
internal static class PostgresSchemaReset
{
    private const string TablesSql = "SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename;";

    private const string FunctionsSql = """
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        ORDER BY 1;
        """;

    public static async Task DropAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in await NamesAsync(connection, TablesSql, cancellationToken))
        {
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {table} CASCADE;", cancellationToken);
        }
        foreach (var function in await NamesAsync(connection, FunctionsSql, cancellationToken))
        {
            await ExecuteAsync(connection, $"DROP FUNCTION IF EXISTS {function} CASCADE;", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<List<string>> NamesAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
