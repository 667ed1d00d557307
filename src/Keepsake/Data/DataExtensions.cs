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
        builder.Services.AddDbContext<KeepsakeDbContext>((services, options) =>
            ConfigureSqlite(options, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
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

    /// <summary>
    /// Brings the embedded database to this build's schema. The folder of the SQLite file is created
    /// and the journal switched to WAL, so readers never wait for a writer.
    /// </summary>
    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
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
