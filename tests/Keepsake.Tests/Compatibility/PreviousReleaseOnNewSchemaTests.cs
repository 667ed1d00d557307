using Keepsake.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Tests.Compatibility;

/// <summary>
/// N-1: during a rolling update (and after a rollback of the image) the previous release's servers run on the schema the
/// current build migrated to. Expand/contract promises it (DESIGN.md: a migration keeps the previous release working);
/// here the previous release is built from history and made to serve the whole journey on that schema. The rule this
/// relies on: a release accepts a database holding migrations it does not know (applied by a newer release) and is
/// ready as long as none of its own is missing.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class PreviousReleaseOnNewSchemaTests(ITestOutputHelper output)
{
    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
    public async Task The_previous_release_serves_the_journey_on_a_SQLite_file_the_current_build_migrated_and_the_current_build_serves_what_it_made()
    {
        using var stack = LibraryStack.Embedded();
        await ServesTheJourneyOnTheNewSchemaAsync(stack);
    }

    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
    public async Task The_previous_release_serves_the_journey_on_PostgreSQL_the_current_build_migrated_beside_a_current_server()
    {
        using var stack = await LibraryStack.ScaleAsync();
        await ServesTheJourneyOnTheNewSchemaAsync(stack);
    }

    private async Task ServesTheJourneyOnTheNewSchemaAsync(LibraryStack stack)
    {
        var previous = ReleaseBuilds.PreviousRelease();
        var unknownToPrevious = stack.CurrentMigrations().Except(ReleaseBuilds.MigrationsAt(previous, stack.Provider), StringComparer.Ordinal).ToList();
        output.WriteLine($"previous release: {ReleaseBuilds.Describe(previous)}; migrations it does not know: {string.Join(", ", unknownToPrevious)}");
        // Without a migration the previous release lacks, this test would prove nothing.
        Assert.NotEmpty(unknownToPrevious);
        var binary = await output.TimedAsync($"built (or found in {ReleaseBuilds.CacheFolder})", () => ReleaseBuilds.BuildAsync(previous));

        var migrated = await output.TimedAsync("migrated by the current build", () => CliRunner.RunAsync(stack.Environment, "migrate"));
        Assert.True(migrated.ExitCode == 0, migrated.Output + migrated.Error);
        if (stack.OnPostgres)
        {
            // A pod of the previous release waits in its init container for the schema its build needs: it must not wait forever.
            var waited = await CliRunner.RunProcessAsync(stack.Folder.Path, stack.Environment, "migrate --wait --timeout 30s", binary: binary);
            Assert.True(waited.ExitCode == 0, "the previous release's 'migrate --wait' on the new schema: " + waited.Output + waited.Error);
        }

        var previousServer = await output.TimedAsync("previous release ready", () => ServerProcess.StartBuildAsync(binary, stack.Folder.Path, stack.Settings));
        await using (previousServer)
        {
            var library = await output.TimedAsync("journey on the previous release", () => ApiJourney.MakeLibraryAsync(previousServer.PublicAddress));
            ApiJourney.LoggedNoError(previousServer, "previous release");
            if (!stack.OnPostgres)
            {
                // One process owns a SQLite library at a time: the current build comes back after the previous one stops (a roll forward).
                await previousServer.DisposeAsync();
            }
            await using var current = await ServerProcess.StartAsync(stack.Folder.Path, stack.Settings);
            await ApiJourney.CheckLibraryAsync(current.PublicAddress, library);
            if (stack.OnPostgres)
            {
                // Mid-rollout both releases serve the same library at once.
                await ApiJourney.CheckLibraryAsync(previousServer.PublicAddress, library);
                ApiJourney.LoggedNoError(previousServer, "previous release");
            }
            ApiJourney.LoggedNoError(current, "current build");
        }
    }
}
