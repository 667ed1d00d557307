using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Tests.Compatibility;

/// <summary>
/// The rule N-1 rests on, held by the current build: a database may hold migrations this build does not know, applied by a
/// newer release that is rolling out (or was rolled back from). Migrations are expand-only, so this build keeps working on
/// them and must not refuse them: <c>migrate status</c> names them, <c>migrate --wait</c> and <c>migrate</c> are content,
/// the server starts (the embedded one migrates at start), is ready and serves the journey.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class NewerReleaseMigrationTests
{
    private const string FromANewerRelease = "29991231235959_FromANewerRelease";

    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
    public async Task The_current_build_serves_a_SQLite_file_holding_a_migration_of_a_newer_release()
    {
        using var stack = LibraryStack.Embedded();
        await AcceptsTheNewerMigrationAsync(stack);
    }

    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
    public async Task The_current_build_serves_a_PostgreSQL_database_holding_a_migration_of_a_newer_release()
    {
        using var stack = await LibraryStack.ScaleAsync();
        await AcceptsTheNewerMigrationAsync(stack);
    }

    private static async Task AcceptsTheNewerMigrationAsync(LibraryStack stack)
    {
        var migrated = await CliRunner.RunAsync(stack.Environment, "migrate");
        Assert.True(migrated.ExitCode == 0, migrated.Output + migrated.Error);
        await using (var db = stack.OpenDatabase())
        {
            // What EF Core writes to the history table when a newer release applies a migration.
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"__migrations\" (\"MigrationId\", \"ProductVersion\") VALUES ({FromANewerRelease}, '10.0.0')");
        }

        var status = await CliRunner.RunAsync(stack.Environment, "migrate status");
        Assert.Contains($"applied  {FromANewerRelease} (not in this build: applied by a newer release)", status.Lines);
        Assert.Contains(status.Lines, line => line.EndsWith("0 pending: up to date", StringComparison.Ordinal));
        var waited = await CliRunner.RunAsync(stack.Environment, "migrate --wait --timeout 5s");
        Assert.True(waited.ExitCode == 0, waited.Output + waited.Error);
        var again = await CliRunner.RunAsync(stack.Environment, "migrate");
        Assert.True(again.ExitCode == 0, again.Output + again.Error);

        await using var server = await ServerProcess.StartAsync(stack.Folder.Path, stack.Settings);
        await ApiJourney.MakeLibraryAsync(server.PublicAddress);
        ApiJourney.LoggedNoError(server, "current build");
    }
}
