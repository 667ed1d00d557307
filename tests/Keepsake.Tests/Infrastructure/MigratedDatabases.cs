using System.Collections.Concurrent;
using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Keepsake.Tests.Infrastructure;

/// <summary>Databases with this build's schema, made by the migrations once per run and copied for each app.</summary>
public static class MigratedDatabases
{
    /// <summary>A fresh database with this build's schema on <paramref name="server"/> (by default the run's); returns its connection string.</summary>
    public static string CreatePostgresDatabase(PostgresServer? server = null)
    {
        server ??= PostgresServer.Instance;
        return server.CreateDatabase(template: MigratedTemplates.GetOrAdd(server, s => new Lazy<string>(() => CreateMigratedTemplate(s))).Value);
    }

    /// <summary>
    /// The build's schema is made once per server, by the migrations, in a database every app's database is then copied
    /// from: a file copy on the server instead of every migration run again for each of the run's apps.
    /// </summary>
    private static readonly ConcurrentDictionary<PostgresServer, Lazy<string>> MigratedTemplates = new();

    private static string CreateMigratedTemplate(PostgresServer server)
    {
        // No pooled connection may stay open on a template, or copying it fails.
        var template = new NpgsqlConnectionStringBuilder(server.CreateDatabase()) { Pooling = false };
        var options = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
        DataExtensions.ConfigurePostgres(options, template.ConnectionString);
        using (var db = new PostgresKeepsakeDbContext(options.Options))
        {
            db.Database.Migrate();
        }
        return template.Database!;
    }

    /// <summary>A SQLite file with the build's schema, to copy (never to open: every app gets a copy of its own).</summary>
    public static string SqliteTemplate => SqliteTemplateFile.Value;

    /// <summary>
    /// The build's schema in a SQLite file, made once per run by the migrations, which every embedded app's database is
    /// copied from: every migration run again at each of a few hundred apps' start was a tenth of the test host's time.
    /// </summary>
    private static readonly Lazy<string> SqliteTemplateFile = new(() =>
    {
        var folder = new TemporaryFolder();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var path = Path.Combine(folder.Path, "template.db");
        var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        // Not pooled: the file is whole (its journal folded in) once its last connection closes.
        DataExtensions.ConfigureSqlite(options, $"Data Source={path};Pooling=false");
        using (var db = new SqliteKeepsakeDbContext(options.Options))
        {
            db.Database.Migrate();
        }
        return path;
    });
}
