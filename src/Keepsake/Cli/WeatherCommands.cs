using System.CommandLine;
using System.Globalization;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Weather;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary><c>keepsake weather backfill [--user &lt;email&gt;]</c>: queue the weather of the photos already in the library, and fetch it.</summary>
internal static class WeatherCommands
{
    /// <summary>The backfill stops waiting when every place-day left is backing off for longer than this; the server's worker retries them.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    public static Command Create(CliHost cli)
    {
        var weather = new Command("weather", "The weather of each photo's hour, from Open-Meteo (off unless Weather:Enabled is true).");
        var user = new Option<string>("--user") { Description = "Only this user's photos (e-mail address); every user's when left out." };
        var backfill = new Command("backfill", "Queue the weather of the photos already in the library and fetch it, with a progress bar.") { user };
        backfill.SetAction((parse, cancellationToken) => BackfillAsync(cli, parse.GetValue(user), cancellationToken));
        weather.Subcommands.Add(backfill);
        return weather;
    }

    private static async Task<int> BackfillAsync(CliHost cli, string? email, CancellationToken cancellationToken)
    {
        using var host = await cli.StartAsync(cancellationToken);
        if (!host.Services.GetRequiredService<IOptions<WeatherOptions>>().Value.Enabled)
        {
            cli.Terminal.Error("weather is off: set Weather:Enabled to true (KEEPSAKE_Weather__Enabled=true) to send rounded places and dates to the provider.");
            return 2;
        }
        IReadOnlyList<PlaceDay> placeDays;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Guid? ownerId = null;
            if (email is not null)
            {
                var owner = await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(email);
                if (owner is null)
                {
                    cli.Terminal.Error($"there is no user '{email}'.");
                    return 2;
                }
                ownerId = owner.Id;
            }
            var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
            var photos = await db.Photos.AsNoTracking()
                .Where(p => p.Latitude != null && p.Longitude != null && p.TakenAt != null && (ownerId == null || p.OwnerId == ownerId))
                .ToListAsync(cancellationToken);
            placeDays = photos.Select(PlaceHour.Of).OfType<PlaceHour>().Select(h => h.Day).Where(d => d.Day >= OpenMeteoClient.ArchiveStart).Distinct().ToList();
            var queued = await scope.ServiceProvider.GetRequiredService<WeatherQueue>().EnqueueAsync(photos, cancellationToken);
            cli.Terminal.Errors.WriteLine($"{photos.Count} photo(s) with a place and a time: {placeDays.Count} place-day(s), {queued} newly queued");
        }

        var fetcher = host.Services.GetRequiredService<WeatherFetcher>();
        var time = host.Services.GetRequiredService<TimeProvider>();
        async Task<int> DrainAsync(Action<int> progress)
        {
            while (true)
            {
                await fetcher.FetchDueAsync(cancellationToken);
                await using var scope = host.Services.CreateAsyncScope();
                var (remaining, next) = await scope.ServiceProvider.GetRequiredService<WeatherQueue>().RemainingAsync(placeDays, cancellationToken);
                progress(placeDays.Count - remaining);
                if (remaining == 0 || next - time.GetUtcNow().UtcDateTime > LongestWait)
                {
                    return remaining;
                }
                var wait = next!.Value - time.GetUtcNow().UtcDateTime;
                await Task.Delay(wait < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : wait, time, cancellationToken);
            }
        }

        int left;
        if (cli.Terminal.IsInteractive)
        {
            left = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Fetching weather", maxValue: Math.Max(1, placeDays.Count));
                    return await DrainAsync(done => task.Value = done);
                });
        }
        else
        {
            var reported = -1;
            left = await DrainAsync(done =>
            {
                if (done != reported)
                {
                    cli.Terminal.Errors.WriteLine($"[{done}/{placeDays.Count}] place-days stored");
                    reported = done;
                }
            });
        }
        var stored = (placeDays.Count - left).ToString(CultureInfo.InvariantCulture);
        if (left > 0)
        {
            cli.Terminal.Out.WriteLine($"weather stored for {stored} of {placeDays.Count} place-days; {left} wait for the provider and are retried by the server");
            return 1;
        }
        cli.Terminal.Out.WriteLine($"weather stored for {stored} of {placeDays.Count} place-days");
        return 0;
    }
}
