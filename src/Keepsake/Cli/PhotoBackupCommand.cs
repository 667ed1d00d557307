using System.CommandLine;
using System.Globalization;
using Keepsake.Backups;
using Keepsake.Backups.Photos;
using Keepsake.Storage;

namespace Keepsake.Cli;

/// <summary>
/// <c>keepsake backup photos</c>: copies the originals the photo backup target lacks, removes the copies of deleted
/// content past its grace, then one summary line. Exits 1 when any could not be copied (each named on stderr), 2 when
/// there is no target or the target cannot be written, 3 when another run is under way (it copies nothing then; the next
/// run goes on where an interrupted one stopped).
/// </summary>
internal static class PhotoBackupCommand
{
    public static Command Create(CliHost cli)
    {
        var command = new Command("photos", "Copy every original the photo backup target (Backups:Photos) lacks, by its SHA-256, checking each copy's hash.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await cli.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var (result, exitCode) = await OnTargetAsync(cli, "Copying photos", progress => scope.ServiceProvider.GetRequiredService<PhotoCopier>().RunAsync(progress, cancellationToken));
            if (result is null)
            {
                return exitCode;
            }
            foreach (var failure in result.Failures)
            {
                cli.Terminal.Error(failure);
            }
            cli.Terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"copied {result.Copied} ({result.CopiedBytes} bytes), already there {result.AlreadyThere}, failed {result.Failed}, removed {result.Removed} past the grace period (generation {result.Generation})"));
            return result.Failures.Count == 0 ? ExitCodes.Done : ExitCodes.SomeFailed;
        });
        return command;
    }

    /// <summary>
    /// What <c>backup verify</c> and <c>backup restore</c> say about the photos' copies: on stdout when the target holds
    /// what the backup needs, on stderr when not (the database backup itself is no worse for it, so the exit code stays).
    /// </summary>
    internal static void Report(Terminal terminal, PhotoCopyCheck check)
    {
        if (check.Holds)
        {
            terminal.Out.WriteLine("photo copies: " + check.Detail);
        }
        else
        {
            terminal.Errors.WriteLine("warning: photo copies: " + check.Detail);
        }
    }

    /// <summary>
    /// Runs one operation on the photo backup target behind a progress bar. When it cannot run (no target, another run
    /// under way, a target that cannot be reached) the reason goes to stderr and the result is null beside the exit code.
    /// </summary>
    internal static async Task<(T? Result, int ExitCode)> OnTargetAsync<T>(CliHost cli, string title, Func<IProgress<BackupProgress>, Task<T>> operation)
        where T : class
    {
        try
        {
            return (await BackupCommands.WithProgressAsync(cli.Terminal, title, operation), ExitCodes.Done);
        }
        catch (PhotoBackupAlreadyRunningException e)
        {
            cli.Terminal.Error(e.Message);
            return (null, ExitCodes.AlreadyRunning);
        }
        catch (BackupException e)
        {
            cli.Terminal.Error(e.Message);
            return (null, ExitCodes.CouldNotRun);
        }
        catch (Exception e) when (StorageFault.Classify(e) is not null)
        {
            cli.Terminal.Error($"the photo backup target cannot be used: {e.Message}");
            return (null, ExitCodes.CouldNotRun);
        }
    }
}
