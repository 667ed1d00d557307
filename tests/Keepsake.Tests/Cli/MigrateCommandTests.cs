using System.Diagnostics;
using System.Globalization;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Keepsake.Tests.Cli;

/// <summary>
/// <c>keepsake migrate</c>, <c>migrate --wait</c>, <c>migrate status</c> and <c>migrate lint</c>, run as the binary
/// runs them (the real binary where its working directory's defaults are the subject) against databases of the test PostgreSQL server (in every test run, SQLite ones too) and SQLite files.
/// </summary>
public sealed class MigrateCommandTests
{
    private static readonly IReadOnlyList<string> PostgresMigrations = KnownMigrations();

    private static readonly IReadOnlyList<string> SqliteMigrations = KnownSqliteMigrations();

    private static IReadOnlyList<string> KnownMigrations()
    {
        using var db = PostgresContext("Host=localhost");
        return db.Database.GetMigrations().ToList();
    }

    private static PostgresKeepsakeDbContext PostgresContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
        DataExtensions.ConfigurePostgres(options, connectionString);
        return new PostgresKeepsakeDbContext(options.Options);
    }

    private static IReadOnlyList<string> KnownSqliteMigrations()
    {
        var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(options, "Data Source=:memory:");
        using var db = new SqliteKeepsakeDbContext(options.Options);
        return db.Database.GetMigrations().ToList();
    }

    private static string Describe(CliResult result) => $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";

    /// <summary>The settings of a server on <paramref name="connectionString"/> that keeps its files (pre-migration backups) in <paramref name="folder"/>.</summary>
    private static Dictionary<string, string?> OnPostgres(TemporaryFolder folder, string connectionString) => new()
    {
        ["KEEPSAKE_Database__Provider"] = DatabaseOptions.Postgres,
        ["KEEPSAKE_Database__ConnectionString"] = connectionString,
        ["KEEPSAKE_Storage__Path"] = Path.Combine(folder.Path, "data"),
    };

    /// <summary>The history table's rows, one per applied migration (duplicates included, were there any).</summary>
    private static async Task<IReadOnlyList<string>> HistoryRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"MigrationId\" FROM \"__migrations\" ORDER BY \"MigrationId\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private static async Task<IReadOnlyList<string>> HistoryRowsOrNoneAsync(string connectionString)
    {
        try
        {
            return await HistoryRowsAsync(connectionString);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }


    [Fact]
    public async Task Migrate_on_a_fresh_postgres_database_applies_every_migration_once_and_a_second_run_finds_it_up_to_date()
    {
        var database = PostgresServer.Instance.CreateDatabase();
        try
        {
            using var folder = new TemporaryFolder();

            var first = await CliRunner.RunAsync(OnPostgres(folder, database), "migrate");
            var second = await CliRunner.RunAsync(OnPostgres(folder, database), "migrate");

            Assert.True(first.ExitCode == 0, Describe(first));
            Assert.Equal(PostgresMigrations.Select(id => "Applied " + id), first.Lines);
            Assert.Equal("", first.Error);
            Assert.True(second.ExitCode == 0, Describe(second));
            Assert.Equal(["Database is up to date"], second.Lines);
            Assert.Equal(PostgresMigrations, await HistoryRowsAsync(database));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_migrate_processes_started_together_both_succeed_and_apply_each_migration_once(bool databaseCreatedBeforehand)
    {
        // Without a database, both also race to create it (EF does that before it takes the migration lock).
        var database = databaseCreatedBeforehand
            ? PostgresServer.Instance.CreateDatabase()
            : PostgresServer.Instance.ConnectionString("keepsake_" + Guid.NewGuid().ToString("N"));
        try
        {
            using var folder = new TemporaryFolder();

            var results = await Task.WhenAll(
                CliRunner.RunAsync(OnPostgres(folder, database), "migrate"),
                CliRunner.RunAsync(OnPostgres(folder, database), "migrate"));

            Assert.All(results, result =>
            {
                Assert.True(result.ExitCode == 0, Describe(result));
                Assert.Equal("", result.Error);
            });
            // Each migration is reported by exactly one of them; the other found it applied under the lock.
            Assert.Equal(
                PostgresMigrations.Select(id => "Applied " + id),
                results.SelectMany(r => r.Lines).Where(l => l.StartsWith("Applied ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal(PostgresMigrations, await HistoryRowsAsync(database));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task Two_migrate_processes_on_a_database_a_release_behind_take_one_pre_migration_backup_between_them()
    {
        var database = PostgresServer.Instance.CreateDatabase();
        try
        {
            await MigrateToAsync(database, PostgresMigrations[0]);
            using var folder = new TemporaryFolder();

            var results = await Task.WhenAll(
                CliRunner.RunAsync(OnPostgres(folder, database), "migrate"),
                CliRunner.RunAsync(OnPostgres(folder, database), "migrate"));

            Assert.All(results, result => Assert.True(result.ExitCode == 0, Describe(result)));
            // The second waited for the first under the lock and found nothing left to back up or apply.
            var lines = results.SelectMany(r => r.Lines).ToList();
            Assert.Single(lines, l => l.StartsWith("Backed up the database as ", StringComparison.Ordinal));
            Assert.Equal(PostgresMigrations.Skip(1).Select(id => "Applied " + id), lines.Where(l => l.StartsWith("Applied ", StringComparison.Ordinal)));
            Assert.Single(lines, l => l == "Database is up to date");
            Assert.Equal(PostgresMigrations, await HistoryRowsAsync(database));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    /// <summary>Leaves the database where an older release left it: migrated up to <paramref name="migration"/>.</summary>
    private static async Task MigrateToAsync(string connectionString, string migration)
    {
        await using var db = PostgresContext(connectionString);
        await db.GetService<IMigrator>().MigrateAsync(migration);
    }

    [Fact]
    public async Task Wait_returns_as_soon_as_another_process_has_migrated_even_when_the_database_did_not_exist_yet()
    {
        // The init container starts before anything: the database is created by the migrate Job.
        var database = PostgresServer.Instance.ConnectionString("keepsake_" + Guid.NewGuid().ToString("N"));
        try
        {
            using var folder = new TemporaryFolder();
            var waiting = CliRunner.RunAsync(OnPostgres(folder, database), "migrate --wait --timeout 2m");
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(waiting.IsCompleted, waiting.IsCompleted ? Describe(await waiting) : "");

            var migrate = await CliRunner.RunAsync(OnPostgres(folder, database), "migrate");
            var migrated = Stopwatch.StartNew();
            var wait = await waiting;
            var lag = migrated.Elapsed;

            Assert.True(migrate.ExitCode == 0, Describe(migrate));
            Assert.True(wait.ExitCode == 0, Describe(wait));
            Assert.Equal(["Database is up to date"], wait.Lines);
            // It polls every second; far sooner than its two-minute timeout.
            Assert.True(lag < TimeSpan.FromSeconds(10), $"--wait finished {lag} after the migration");
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task Wait_on_a_database_nobody_migrates_times_out_naming_what_is_pending()
    {
        var database = PostgresServer.Instance.CreateDatabase();
        try
        {
            using var folder = new TemporaryFolder();
            var clock = Stopwatch.StartNew();

            var result = await CliRunner.RunAsync(OnPostgres(folder, database), "migrate --wait --timeout 3s");

            Assert.True(result.ExitCode != 0, Describe(result));
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"gave up after {clock.Elapsed}");
            var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: timed out after 3s waiting for migrations; still pending: ", error, StringComparison.Ordinal);
            Assert.All(PostgresMigrations, id => Assert.Contains(id, error, StringComparison.Ordinal));
            Assert.Empty(await HistoryRowsOrNoneAsync(database));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task Wait_on_an_unreachable_server_times_out_saying_the_database_could_not_be_read()
    {
        using var folder = new TemporaryFolder();
        var port = LoopbackPorts.Unused();
        var unreachable = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=keepsake";

        var result = await CliRunner.RunAsync(OnPostgres(folder, unreachable), "migrate --wait --timeout 2s");

        Assert.True(result.ExitCode != 0, Describe(result));
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("timed out after 2s", error, StringComparison.Ordinal);
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_applied_and_pending_migrations_by_name_before_and_after_migrating()
    {
        var database = PostgresServer.Instance.CreateDatabase();
        try
        {
            using var folder = new TemporaryFolder();

            var before = await CliRunner.RunAsync(OnPostgres(folder, database), "migrate status");
            await CliRunner.RunAsync(OnPostgres(folder, database), "migrate");
            var after = await CliRunner.RunAsync(OnPostgres(folder, database), "migrate status");

            Assert.True(before.ExitCode == 0, Describe(before));
            Assert.Equal(
                [.. PostgresMigrations.Select(id => "pending  " + id), $"0 applied, {PostgresMigrations.Count} pending: run 'keepsake migrate'"],
                before.Lines);
            Assert.True(after.ExitCode == 0, Describe(after));
            Assert.Equal(
                [.. PostgresMigrations.Select(id => "applied  " + id), $"{PostgresMigrations.Count} applied, 0 pending: up to date"],
                after.Lines);
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task Migrate_against_an_unreachable_postgres_server_fails_with_one_line_naming_it()
    {
        using var folder = new TemporaryFolder();
        var port = LoopbackPorts.Unused();

        var result = await CliRunner.RunAsync(
            OnPostgres(folder, $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=keepsake"), "migrate");

        Assert.True(result.ExitCode != 0, Describe(result));
        Assert.Equal("", result.Output);
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Failed to connect to 127.0.0.1:" + port, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_with_a_malformed_connection_string_fails_with_one_line_naming_the_bad_keyword()
    {
        using var folder = new TemporaryFolder();

        var result = await CliRunner.RunAsync(OnPostgres(folder, "Host=127.0.0.1;Colour=blue"), "migrate");

        Assert.True(result.ExitCode != 0, Describe(result));
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("colour", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Migrate_on_the_embedded_sqlite_default_creates_the_file_and_prints_what_it_applied()
    {
        using var folder = new TemporaryFolder();
        // The embedded default: no database settings at all, the file in ./data.
        var environment = new Dictionary<string, string?>();

        var first = await CliRunner.RunProcessAsync(folder.Path, environment, "migrate");
        var status = await CliRunner.RunProcessAsync(folder.Path, environment, "migrate status");
        var second = await CliRunner.RunProcessAsync(folder.Path, environment, "migrate");

        Assert.True(first.ExitCode == 0, Describe(first));
        Assert.Equal(SqliteMigrations.Select(id => "Applied " + id), first.Lines);
        Assert.Matches("^Applied [0-9]{14}_Initial$", first.Lines[0]);
        Assert.True(File.Exists(Path.Combine(folder.Path, "data", "keepsake.db")));
        Assert.Equal(
            [.. SqliteMigrations.Select(id => "applied  " + id), $"{SqliteMigrations.Count} applied, 0 pending: up to date"],
            status.Lines);
        Assert.True(second.ExitCode == 0, Describe(second));
        Assert.Equal(["Database is up to date"], second.Lines);
    }

    [Fact]
    public async Task Timeout_without_wait_is_refused()
    {
        using var folder = new TemporaryFolder();

        var result = await CliRunner.RunProcessAsync(folder.Path, new Dictionary<string, string?>(), "migrate --timeout 3s");

        Assert.True(result.ExitCode != 0, Describe(result));
        Assert.Contains("--timeout only applies with --wait", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "data", "keepsake.db")));
    }

    [Fact]
    public async Task Lint_passes_on_the_migrations_of_this_build_without_a_database()
    {
        using var folder = new TemporaryFolder();
        // A database that does not exist anywhere: lint never connects.
        var environment = OnPostgres(folder, $"Host=127.0.0.1;Port={LoopbackPorts.Unused().ToString(CultureInfo.InvariantCulture)};Username=postgres");

        var result = await CliRunner.RunAsync(environment, "migrate lint");

        Assert.True(result.ExitCode == 0, Describe(result));
        var migrations = MigrationLint.ReadThisBuild();
        // Only the search index's migrations run raw SQL, each with its marker and reason, which the lint prints.
        var allowed = MigrationLint.Check(migrations).Allowed;
        Assert.Equal(["sqlite/PhotoSearch", "postgres/PhotoSearch"], allowed.Select(a => $"{a.Provider}/{a.MigrationId[15..]}"));
        Assert.All(allowed, a => Assert.Equal((MigrationLint.BanRawSql, true), (a.Rule, a.AllowedBecause!.Contains("never reads", StringComparison.Ordinal))));
        Assert.Equal([.. allowed.Select(a => a.ToString()), $"checked {migrations.Count} migrations: no violations, 2 allowed"], result.Lines);
        Assert.Equal("", result.Error);
    }
}
