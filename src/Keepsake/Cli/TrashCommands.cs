using System.CommandLine;
using Keepsake.Photos.Trash;
using Microsoft.Extensions.Options;

namespace Keepsake.Cli;

/// <summary><c>keepsake trash purge</c>: delete for good the photos that have been in the trash longer than <c>Trash:Retention</c>.</summary>
internal static class TrashCommands
{
    public static Command Create(CliHost cli)
    {
        var trash = new Command("trash", "Deleted photos wait in each user's trash for Trash:Retention (30 days) before they are deleted for good.");
        var purge = new Command("purge", "Delete for good every photo in the trash longer than Trash:Retention, as the server does hourly on SQLite (a CronJob on a cluster).");
        purge.SetAction((_, cancellationToken) => PurgeAsync(cli, cancellationToken));
        trash.Subcommands.Add(purge);
        return trash;
    }

    private static async Task<int> PurgeAsync(CliHost cli, CancellationToken cancellationToken)
    {
        using var host = await cli.StartAsync(cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        var purged = await scope.ServiceProvider.GetRequiredService<TrashPurge>().PurgeExpiredAsync(cancellationToken);
        var retention = host.Services.GetRequiredService<IOptions<TrashOptions>>().Value.Retention;
        cli.Terminal.Out.WriteLine($"deleted {purged} photo(s) for good after {retention.TotalDays:0.##} day(s) in the trash");
        return 0;
    }
}
