using Keepsake.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
            ConfigurePostgres(options, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString, reconnect: true));
        builder.Services.AddScoped<KeepsakeDbContext>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsSqlite
                ? services.GetRequiredService<SqliteKeepsakeDbContext>()
                : services.GetRequiredService<PostgresKeepsakeDbContext>());
        builder.Services.AddSingleton<DatabaseMigrations>();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<KeepsakeDbContext>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<SchemaHealthCheck>("schema", tags: [HealthEndpoints.ReadyTag]);
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
        LogHandledFailuresAtDebug(options);
    }

    /// <summary>
    /// A failed save or query is often an expected event the caller handles (two uploads of one photo, an album deleted
    /// while photos are added to it, a connection a failover ended, which the execution strategy retries or the outage
    /// handler answers with 503); EF Core would log each at Error with its stack trace before the caller sees it. A
    /// failure nobody handles still reaches the log, from the exception handler or the verb that ends on it.
    /// </summary>
    private static void LogHandledFailuresAtDebug(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(warnings => warnings.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug)));

    // Reconnecting (see ReconnectingExecutionStrategy) is for the contexts that serve requests and background
    // work, which run no transaction of their own outside the execution strategy; migrations and tools go without.
    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString, bool reconnect = false)
    {
        options.UseNpgsql(connectionString, npgsql =>
        {
            npgsql.MigrationsHistoryTable("__migrations");
            if (reconnect)
            {
                npgsql.ExecutionStrategy(dependencies => new ReconnectingExecutionStrategy(dependencies));
            }
        });
        LogHandledFailuresAtDebug(options);
    }
}
