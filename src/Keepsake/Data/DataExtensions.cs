using Keepsake.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Data;

public static class DataExtensions
{
    public static IHostApplicationBuilder AddKeepsakeData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        // Both contexts are registered and the configured one is handed out as KeepsakeDbContext, so the
        // choice follows the options (validated at start) rather than configuration read while registering.
        builder.Services.AddDbContext<SqliteKeepsakeDbContext>((services, options) =>
            ConfigureSqlite(options, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        builder.Services.AddDbContext<PostgresKeepsakeDbContext>((services, options) =>
            ConfigurePostgres(options, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        builder.Services.AddScoped<KeepsakeDbContext>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsSqlite
                ? services.GetRequiredService<SqliteKeepsakeDbContext>()
                : services.GetRequiredService<PostgresKeepsakeDbContext>());
        builder.Services.AddHealthChecks().AddDbContextCheck<KeepsakeDbContext>("database", tags: ["ready"]);
        return builder;
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString)
    {
        var connection = new SqliteConnectionStringBuilder(connectionString);
        if (connection.DefaultTimeout < 30)
        {
            // Writers wait for each other instead of failing with "database is locked".
            connection.DefaultTimeout = 30;
        }
        connection.ForeignKeys = true;
        options.UseSqlite(connection.ConnectionString, sqlite => sqlite.MigrationsHistoryTable("__migrations"));
    }

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations"));

    /// <summary>
    /// Brings the embedded SQLite database to this build's schema: its folder is created and the journal
    /// switched to WAL, so readers never wait for a writer. A PostgreSQL database is left alone: it is
    /// migrated on purpose by whoever deploys, not by every process that starts.
    /// </summary>
    public static async Task MigrateEmbeddedDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!options.IsSqlite)
        {
            return;
        }
        var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
