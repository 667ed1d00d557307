using System.Net;
using System.Text.Json;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Operations;

public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task The_configured_database_has_every_migration()
    {
        using var app = new KeepsakeApp();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), "Run 'dotnet ef migrations add' from src/Keepsake.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void Neither_migration_set_misses_a_change_to_the_model()
    {
        using var sqlite = new SqliteDesignTimeDbContextFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges(),
            "Run 'dotnet ef migrations add NAME --context SqliteKeepsakeDbContext -o Data/Migrations/Sqlite' from src/Keepsake.");
        Assert.False(postgres.Database.HasPendingModelChanges(),
            "Run 'dotnet ef migrations add NAME --context PostgresKeepsakeDbContext -o Data/Migrations/Postgres' from src/Keepsake.");
    }

    [Fact]
    public void Both_contexts_share_one_model()
    {
        using var sqlite = new SqliteDesignTimeDbContextFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeDbContextFactory().CreateDbContext([]);

        static IEnumerable<string> Shape(DbContext db) => db.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => $"{e.GetTableName()}.{p.GetColumnName()}:{p.ClrType.Name}:{p.IsNullable}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Shape(sqlite), Shape(postgres));
    }

    [Fact]
    public async Task A_new_server_migrates_its_database_and_reports_every_dependency_ready()
    {
        using var app = new KeepsakeApp(premigrated: false);
        using var client = app.CreateClient();

        var live = await client.GetAsync("/healthz/live");
        var ready = await client.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks");
        foreach (var dependency in new[] { "database", "schema", "storage" })
        {
            Assert.Equal("Healthy", checks.GetProperty(dependency).GetProperty("status").GetString());
        }
        Assert.Equal(!KeepsakeApp.OnScaleStack, File.Exists(app.DatabasePath));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_photo_api()
    {
        using var app = new KeepsakeApp();
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/photos", out _));
        Assert.True(paths.TryGetProperty("/api/albums/{id}/shares", out _));
    }

    [Fact]
    public async Task A_setting_from_a_KEEPSAKE_environment_variable_reaches_the_binary()
    {
        using var app = new KeepsakeApp();
        var elsewhere = Path.Combine(app.Folder.Path, "elsewhere.db");
        var environment = app.Environment.ToDictionary(e => e.Key, e => e.Value);
        environment["KEEPSAKE_Database__Provider"] = "sqlite";
        environment["KEEPSAKE_Database__ConnectionString"] = $"Data Source={elsewhere}";

        var result = await CliRunner.RunProcessAsync(app.Folder.Path, environment, "user list");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(elsewhere), "The CLI should have created its database where the environment said.");
    }
}
