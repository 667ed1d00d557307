using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Npgsql;

namespace Keepsake.Tests.Backups;

/// <summary>The scale stack in every run: PostgreSQL (pg_dump/pg_restore) with blobs and backups in an S3 bucket.</summary>
[Collection(S3Collection.Name)]
public sealed class PostgresS3BackupTests(S3Server s3)
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    private Dictionary<string, string?> Settings(string connectionString, string bucket)
    {
        var settings = s3.Settings(bucket);
        settings["Database:Provider"] = DatabaseOptions.Postgres;
        settings["Database:ConnectionString"] = connectionString;
        return settings;
    }

    [Fact]
    public async Task A_library_on_PostgreSQL_and_S3_is_backed_up_to_the_bucket_verified_and_restored_into_a_fresh_database()
    {
        var bucket = await s3.CreateBucketAsync();
        var originalDatabase = MigratedDatabases.CreatePostgresDatabase();
        var freshDatabase = PostgresServer.Instance.CreateDatabase();
        try
        {
            using var original = new KeepsakeApp(Settings(originalDatabase, bucket));
            var library = await BackupTestKit.CreateLibraryAsync(original);
            var before = await BackupTestKit.ViewAsync(original, library);

            var id = await BackupTestKit.CreateBackupAsync(original, "backup create --reason scheduled");
            var keys = await s3.KeysAsync(bucket);
            Assert.Contains($"backups/{id}/manifest.json", keys);
            Assert.Contains($"backups/{id}/database.pgdump", keys);
            var verify = await CliRunner.RunAsync(original, "backup verify latest");
            Assert.True(verify.ExitCode == 0, Describe(verify));
            var list = await CliRunner.RunAsync(original, "backup list");
            Assert.Contains(list.Lines, l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains("scheduled", StringComparison.Ordinal) && l.Contains("yes", StringComparison.Ordinal));

            // A new database server, empty: no tables at all. The restore brings the schema and migrates it.
            using var replacement = new KeepsakeApp(Settings(freshDatabase, bucket));
            var restore = await CliRunner.RunAsync(replacement, $"backup restore {id}");
            Assert.True(restore.ExitCode == 0, Describe(restore));
            Assert.Equal(before, await BackupTestKit.ViewAsync(replacement, library));

            // And into the original database, changed since: with --yes, after a safety backup.
            await BackupTestKit.ChangeLibraryAsync(original, library);
            var refused = await CliRunner.RunAsync(original, $"backup restore {id}");
            Assert.True(refused.ExitCode == 2, Describe(refused));
            var again = await CliRunner.RunAsync(original, $"backup restore {id} --yes");
            Assert.True(again.ExitCode == 0, Describe(again));
            Assert.Contains(again.Lines, l => l.StartsWith("safety backup", StringComparison.Ordinal));
            Assert.Equal(before, await BackupTestKit.ViewAsync(original, library));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(originalDatabase);
            PostgresServer.Instance.DropDatabase(freshDatabase);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Without_a_pg_dump_as_new_as_the_server_create_fails_naming_the_version_needed()
    {
        var bucket = await s3.CreateBucketAsync();
        var database = MigratedDatabases.CreatePostgresDatabase();
        using var tools = new TemporaryFolder();
        try
        {
            using var app = new KeepsakeApp(Settings(database, bucket));
            var environment = new Dictionary<string, string?>(app.Environment) { ["KEEPSAKE_Backups__PostgresToolsPath"] = tools.Path };
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var needed = $"pg_dump from PostgreSQL {connection.PostgreSqlVersion.Major} or newer is needed";

            var missing = await CliRunner.RunAsync(environment, "backup create");
            Assert.True(missing.ExitCode == 1, Describe(missing));
            Assert.Contains(needed, missing.Error, StringComparison.Ordinal);
            Assert.Contains("none was found", missing.Error, StringComparison.Ordinal);

            var old = Path.Combine(tools.Path, "pg_dump");
            await File.WriteAllTextAsync(old, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
            File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            var tooOld = await CliRunner.RunAsync(environment, "backup create");
            Assert.True(tooOld.ExitCode == 1, Describe(tooOld));
            Assert.Contains(needed, tooOld.Error, StringComparison.Ordinal);
            Assert.Contains($"found only {old} (PostgreSQL 9)", tooOld.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(await s3.KeysAsync(bucket), k => k.StartsWith("backups/", StringComparison.Ordinal));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }
}
