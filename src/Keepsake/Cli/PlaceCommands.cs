using System.CommandLine;
using Keepsake.Photos.Places;

namespace Keepsake.Cli;

/// <summary><c>keepsake places backfill</c>: name the places of the photos stored before Keepsake named places.</summary>
internal static class PlaceCommands
{
    public static Command Create(CliHost cli)
    {
        var places = new Command("places", "Each photo's place (city, region, country), named offline from its GPS location with GeoNames' place names.");
        var backfill = new Command("backfill",
            "Name the places of the photos stored before places, as the server does at start; one that stops is continued by the next run.");
        backfill.SetAction((_, cancellationToken) => BackfillAsync(cli, cancellationToken));
        places.Subcommands.Add(backfill);
        return places;
    }

    private static async Task<int> BackfillAsync(CliHost cli, CancellationToken cancellationToken)
    {
        using var host = await cli.StartAsync(cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        var filled = await scope.ServiceProvider.GetRequiredService<PlaceBackfill>().FillAsync(PlaceBackfill.DefaultBatchSize, cancellationToken);
        cli.Terminal.Out.WriteLine($"named the places of {filled} photo(s)");
        return 0;
    }
}
