using System.CommandLine;
using System.IO.Enumeration;
using Keepsake.Accounts;
using Keepsake.Photos;
using Microsoft.AspNetCore.Identity;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary>
/// <c>keepsake import &lt;folder&gt; --user &lt;email&gt;</c>: every photo below a folder, duplicates skipped. Only regular
/// files inside the folder are read (see <see cref="RegularFile"/>): links, FIFOs, devices and sockets named like
/// photos are skipped with the reason.
/// </summary>
internal static class ImportCommand
{
    private enum Outcome
    {
        Imported,
        Skipped,
        Failed,
    }

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The folder to import, with every folder below it." };
        var user = new Option<string>("--user") { Description = "E-mail address of the user who will own the photos.", Required = true };
        var command = new Command("import", "Import every photo below a folder into a user's library.") { folder, user };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(folder)!, parse.GetValue(user)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo folder, string email, CancellationToken cancellationToken)
    {
        if (!folder.Exists)
        {
            Terminal.Error($"there is no folder '{folder.FullName}'.");
            return 2;
        }
        using var host = await CliHost.StartAsync(cancellationToken);
        Guid ownerId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var owner = await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(email);
            if (owner is null)
            {
                Terminal.Error($"there is no user '{email}'; create one with 'keepsake user create {email}'.");
                return 2;
            }
            ownerId = owner.Id;
        }

        // Linked folders are not entered (reported as skipped): one may lead out of the folder, or to a parent, which
        // would loop until the OS gives up (ELOOP).
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };
        var entries = new FileSystemEnumerable<FileSystemInfo>(folder.FullName, (ref FileSystemEntry entry) => entry.ToFileSystemInfo(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory || (entry.Attributes & FileAttributes.ReparsePoint) != 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        var found = entries.OrderBy(f => f.FullName, StringComparer.Ordinal).ToList();
        var linkedFolders = found.OfType<DirectoryInfo>().ToList();
        var files = found.OfType<FileInfo>().ToList();
        var photos = files.Where(f => ImageFormat.PhotoExtensions.Contains(f.Extension)).ToList();
        var ignored = files.Count - photos.Count;
        var counts = new Dictionary<Outcome, int> { [Outcome.Imported] = 0, [Outcome.Skipped] = linkedFolders.Count, [Outcome.Failed] = 0 };
        // Failures and entries skipped for what they are, repeated after the progress bar of an interactive run.
        var notices = linkedFolders.Select(f => $"skipped {Path.GetRelativePath(folder.FullName, f.FullName)} (a linked folder: not entered)").ToList();
        if (!Terminal.IsInteractive)
        {
            notices.ForEach(Console.WriteLine);
        }

        async Task ImportAllAsync(Action<FileInfo> started, Action done)
        {
            foreach (var file in photos)
            {
                cancellationToken.ThrowIfCancellationRequested();
                started(file);
                var relative = Path.GetRelativePath(folder.FullName, file.FullName);
                var (outcome, reason) = await ImportOneAsync(host.Services, ownerId, file, folder.FullName, cancellationToken);
                counts[outcome]++;
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
                if (!Terminal.IsInteractive)
                {
                    Console.WriteLine(line);
                }
                done();
            }
        }

        if (Terminal.IsInteractive)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("Importing", maxValue: Math.Max(1, photos.Count));
                    await ImportAllAsync(file => task.Description = Markup.Escape(file.Name), () => task.Increment(1));
                    task.Description = "Imported";
                });
            foreach (var notice in notices)
            {
                Console.WriteLine(notice);
            }
        }
        else
        {
            await ImportAllAsync(_ => { }, () => { });
        }

        Console.WriteLine($"imported {counts[Outcome.Imported]}, skipped {counts[Outcome.Skipped]}, ignored {ignored}, failed {counts[Outcome.Failed]}");
        return counts[Outcome.Failed] > 0 ? 1 : 0;
    }

    private const string AlreadyThere = "already in the library";

    /// <summary>One file in its own scope, so a long import does not grow one change tracker. A skip's reason is null for a duplicate.</summary>
    private static async Task<(Outcome Outcome, string? Reason)> ImportOneAsync(IServiceProvider services, Guid ownerId, FileInfo file, string root, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var ingestor = scope.ServiceProvider.GetRequiredService<PhotoIngestor>();
        StagedFile? staged;
        Rejection? rejection;
        try
        {
            var (opened, skipReason) = RegularFile.Open(file.FullName, root);
            if (opened is null)
            {
                return (Outcome.Skipped, skipReason);
            }
            await using var stream = opened;
            (staged, rejection) = await ingestor.StageAsync(stream, file.Name, cancellationToken);
        }
        catch (IOException e)
        {
            return (Outcome.Failed, "could not be read: " + e.Message);
        }
        catch (UnauthorizedAccessException)
        {
            return (Outcome.Failed, "permission denied");
        }
        if (staged is null)
        {
            return (Outcome.Failed, rejection!.Detail);
        }
        using (staged)
        {
            var result = await ingestor.IngestAsync(ownerId, [staged], cancellationToken);
            if (result.Rejection is not null)
            {
                return (Outcome.Failed, result.Rejection.Detail);
            }
            return result.Photos[0].Duplicate ? (Outcome.Skipped, null) : (Outcome.Imported, null);
        }
    }
}
