using Keepsake.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Tests.Compatibility;

/// <summary>
/// A library made by the oldest supported release (the first with today's migration sets, <see cref="ReleaseBuilds.OldestSupportedRelease"/>)
/// through its own API is taken by the current <c>keepsake migrate</c> through every later migration, and the current server
/// serves it: the photo and its original, the album, the share link.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class UpgradeFromOldestReleaseTests(ITestOutputHelper output)
{
    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
    public async Task A_SQLite_library_made_by_the_oldest_supported_release_is_migrated_to_now_and_served_by_the_current_build()
    {
        using var stack = LibraryStack.Embedded();
        await UpgradesAsync(stack);
    }

    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
    public async Task A_PostgreSQL_library_made_by_the_oldest_supported_release_is_migrated_to_now_and_served_by_the_current_build()
    {
        // That release kept its files in a folder only (no S3 store yet) and had no cache to share.
        using var stack = await LibraryStack.ScaleAsync(withObjectStorageAndCache: false);
        await UpgradesAsync(stack);
    }

    private async Task UpgradesAsync(LibraryStack stack)
    {
        var oldest = ReleaseBuilds.OldestSupportedRelease();
        var later = stack.CurrentMigrations().Except(ReleaseBuilds.MigrationsAt(oldest, stack.Provider), StringComparer.Ordinal).ToList();
        output.WriteLine($"oldest supported release: {ReleaseBuilds.Describe(oldest)}; later migrations: {string.Join(", ", later)}");
        Assert.NotEmpty(later);
        var binary = await output.TimedAsync($"built (or found in {ReleaseBuilds.CacheFolder})", () => ReleaseBuilds.BuildAsync(oldest));

        // That release had no 'migrate' verb: each of its verbs brought the database to its schema first.
        var made = await CliRunner.RunProcessAsync(stack.Folder.Path, stack.Environment, "user list", binary: binary);
        Assert.True(made.ExitCode == 0, "the oldest release making its schema: " + made.Output + made.Error);
        JourneyLibrary library;
        await using (var oldServer = await output.TimedAsync("oldest release ready", () => ServerProcess.StartBuildAsync(binary, stack.Folder.Path, stack.Settings)))
        {
            library = await ApiJourney.MakeLibraryAsync(oldServer.PublicAddress);
            ApiJourney.LoggedNoError(oldServer, "oldest release");
        }

        var migrated = await output.TimedAsync("migrated by the current build", () => CliRunner.RunAsync(stack.Environment, "migrate"));
        Assert.True(migrated.ExitCode == 0, migrated.Output + migrated.Error);
        // Only the later migrations are applied: the oldest release's schema (and its data) is what was migrated.
        Assert.All(stack.CurrentMigrations(), id => Assert.Equal(later.Contains(id), migrated.Output.Contains(id, StringComparison.Ordinal)));
        await using var current = await ServerProcess.StartAsync(stack.Folder.Path, stack.Settings);
        await ApiJourney.CheckLibraryAsync(current.PublicAddress, library);
        ApiJourney.LoggedNoError(current, "current build");
    }
}
