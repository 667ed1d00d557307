using Keepsake.Backups;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Backups;

/// <summary><c>keepsake migrate</c> backs the database up before it changes the schema, and says so when told not to.</summary>
public sealed class PreMigrationBackupTests
{
    [Fact]
    public async Task Pending_migrations_on_a_database_with_a_schema_are_preceded_by_a_pre_migration_backup_of_it()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var backups = app.Services.GetRequiredService<BackupService>();
        var taken = new List<BackupManifest>();
        var olderSchema = new MigrationStatus(Known: ["20260101000000_Initial", "20260201000000_Next"], Applied: ["20260101000000_Initial"]);

        await PreMigrationBackup.Before(backups, progress: null, taken.Add)(olderSchema, CancellationToken.None);

        var backup = Assert.Single(await backups.ListAsync(CancellationToken.None)).Manifest;
        Assert.Equal(BackupReasons.PreMigration, backup.Reason);
        Assert.Equal(backup.Id, Assert.Single(taken).Id);
        Assert.Equal(1, backup.RowCounts["photos"]);
    }

    [Fact]
    public async Task Migrate_on_a_database_an_older_release_made_leaves_a_pre_migration_backup_before_applying()
    {
        using var folder = new TemporaryFolder();
        var database = Path.Combine(folder.Path, "keepsake.db");
        // What an older release leaves: its own migration applied, this build's ones pending.
        using (var older = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            older.Open();
            using var history = older.CreateCommand();
            history.CommandText = "CREATE TABLE __migrations (MigrationId TEXT NOT NULL PRIMARY KEY, ProductVersion TEXT NOT NULL);" +
                "INSERT INTO __migrations VALUES ('20200101000000_OlderRelease', '9.0.0');";
            history.ExecuteNonQuery();
        }
        var environment = new Dictionary<string, string?>
        {
            ["KEEPSAKE_Database__ConnectionString"] = $"Data Source={database}",
            ["KEEPSAKE_Storage__Path"] = Path.Combine(folder.Path, "data"),
        };

        var migrate = await CliRunner.RunAsync(environment, "migrate");
        var list = await CliRunner.RunAsync(environment, "backup list");

        Assert.True(migrate.ExitCode == 0, migrate.Output + migrate.Error);
        var backedUp = Assert.Single(migrate.Lines, l => l.StartsWith("Backed up the database as ", StringComparison.Ordinal));
        var id = backedUp["Backed up the database as ".Length..].Split(' ')[0];
        Assert.True(migrate.Lines.ToList().IndexOf(backedUp) < migrate.Lines.ToList().FindIndex(l => l.StartsWith("Applied ", StringComparison.Ordinal)));
        Assert.Contains(list.Lines, l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains(BackupReasons.PreMigration, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_with_no_migration_applied_yet_is_not_backed_up()
    {
        using var app = new KeepsakeApp();
        _ = app.Services;
        var backups = app.Services.GetRequiredService<BackupService>();
        var taken = new List<BackupManifest>();
        var empty = new MigrationStatus(Known: ["20260101000000_Initial"], Applied: []);

        await PreMigrationBackup.Before(backups, progress: null, taken.Add)(empty, CancellationToken.None);

        Assert.Empty(taken);
        Assert.Empty(await backups.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_with_no_backup_warns_that_nothing_can_undo_it_and_an_up_to_date_database_takes_no_backup()
    {
        using var app = new KeepsakeApp();
        _ = app.Services;

        var migrate = await CliRunner.RunAsync(app, "migrate --no-backup");
        var again = await CliRunner.RunAsync(app, "migrate");
        var list = await CliRunner.RunAsync(app, "backup list");

        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("warning: --no-backup", migrate.Error, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Database is up to date", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Backed up", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(BackupReasons.PreMigration, list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_backup_with_wait_is_refused()
    {
        using var app = new KeepsakeApp();

        var result = await CliRunner.RunAsync(app, "migrate --wait --no-backup");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--no-backup only applies when migrating", result.Error, StringComparison.Ordinal);
    }
}
