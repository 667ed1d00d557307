using System.CommandLine;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary>
/// <c>keepsake import &lt;folder&gt; --user &lt;email&gt;</c>: every photo below a folder, duplicates skipped. Only regular
/// files inside the folder are read (see <see cref="RegularFile"/>): links, FIFOs, devices and sockets named like
/// photos are skipped with the reason. The folder is streamed, never listed whole; photos are checked several at once and
/// stored in the folder's order, each whole or not at all (see <see cref="ImportPipeline"/>); the import stops between two of them when the rest cannot be stored either (a storage fault, the user erased or
/// disabled) or when it is interrupted, and its summary line says what was done, what is left and why.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliHost cli)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The folder to import, with every folder below it." };
        var user = new Option<string>("--user") { Description = "E-mail address of the user who will own the photos.", Required = true };
        var command = new Command("import",
            "Import every photo below a folder into a user's library. Exits 1 when some photos failed or it stopped early (a full, read-only or " +
            "forbidden disk, the user erased), 130 when interrupted between two photos; its last line says what was done and why. Run it again for the rest.")
        { folder, user };
        command.SetAction((parse, cancellationToken) => RunAsync(cli, parse.GetValue(folder)!, parse.GetValue(user)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliHost cli, DirectoryInfo folder, string email, CancellationToken cancellationToken)
    {
        if (!folder.Exists)
        {
            cli.Terminal.Error($"there is no folder '{folder.FullName}'.");
            return ExitCodes.CouldNotRun;
        }
        var root = folder.FullName;
        // The folder is counted (for the progress bar and the summary) and the image library made ready while the
        // services start, so neither delays the first photo.
        var counting = Task.Run(() => ImportFolder.Count(root, cancellationToken), cancellationToken);
        var warming = Task.Run(LibvipsLoader.WarmUp, CancellationToken.None);
        using var host = await cli.StartAsync(cancellationToken);
        Guid ownerId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var owner = await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(email);
            if (owner is null)
            {
                cli.Terminal.Error($"there is no user '{email}'; create one with 'keepsake user create {email}'.");
                return ExitCodes.CouldNotRun;
            }
            ownerId = owner.Id;
        }
        var count = await counting;
        await warming;

        var counts = new Dictionary<Outcome, int> { [Outcome.Imported] = 0, [Outcome.Skipped] = count.LinkedFolders.Count, [Outcome.Failed] = 0 };
        var left = count.Photos;
        // Failures and entries skipped for what they are, repeated after the progress bar of an interactive run.
        var notices = count.LinkedFolders.Select(f => $"skipped {Path.GetRelativePath(root, f)} (a linked folder: not entered)").ToList();
        if (!cli.Terminal.IsInteractive)
        {
            notices.ForEach(cli.Terminal.Out.WriteLine);
        }
        var parallelism = host.Services.GetRequiredService<IOptions<PhotosOptions>>().Value.EffectiveDecodeParallelism();
        var pipeline = new ImportPipeline(new PhotoImport(host.Services, ownerId, email, root), parallelism);
        var photos = ImportFolder.Walk(root).Where(e => e.Kind == ImportEntryKind.Photo);
        ImportStop? stop = null;

        async Task ImportAllAsync(Action<string> started, Action done)
        {
            stop = await pipeline.RunAsync(photos, root, started, (relative, outcome, reason) =>
            {
                counts[outcome]++;
                left--;
                var line = outcome switch
                {
                    Outcome.Imported => $"imported {relative}",
                    Outcome.Skipped => $"skipped {relative} ({reason ?? AlreadyThere})",
                    _ => $"failed {relative}: {reason}",
                };
                if (outcome == Outcome.Failed || (outcome == Outcome.Skipped && reason is not null))
                {
                    notices.Add(line);
                }
                if (!cli.Terminal.IsInteractive)
                {
                    cli.Terminal.Out.WriteLine(line);
                }
                done();
            }, cancellationToken);
        }

        if (cli.Terminal.IsInteractive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Importing", maxValue: Math.Max(1, count.Photos));
                    await ImportAllAsync(relative => task.Description = Markup.Escape(Path.GetFileName(relative)), () => task.Increment(1));
                    task.Description = stop is null ? "Imported" : "Stopped";
                });
            foreach (var notice in notices)
            {
                cli.Terminal.Out.WriteLine(notice);
            }
        }
        else
        {
            await ImportAllAsync(_ => { }, () => { });
        }

        if (stop?.Error is { } error)
        {
            cli.Terminal.Error(error);
        }
        var summary = $"imported {counts[Outcome.Imported]}, skipped {counts[Outcome.Skipped]}, ignored {count.NotPhotos}, failed {counts[Outcome.Failed]}";
        cli.Terminal.Out.WriteLine(stop is null ? summary : $"{summary}, left {Math.Max(0, left)}; {stop.Reason}");
        return stop?.ExitCode ?? (counts[Outcome.Failed] > 0 ? ExitCodes.SomeFailed : ExitCodes.Done);
    }

    private const string AlreadyThere = "already in the library";
}
