using System.CommandLine;
using System.Globalization;
using Keepsake.Backups;
using Keepsake.Storage;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary>
/// <c>keepsake backup create|list|verify|restore|prune|scrub|status</c>. A failure the backups themselves explain (a damaged
/// backup, a refused restore) exits 1 with its message; one that is a fault of the storage the verb stages or writes in
/// exits 2 (see <see cref="KeepsakeCli"/>). An interrupted verb leaves no backup that counts and no scratch folder.
/// </summary>
internal static class BackupCommands
{
    public static Command Create(CliHost cli)
    {
        var backup = new Command("backup", "Database backups in the blob store: create, list, verify, restore, prune, scrub, status; and copies of the photos: photos.");
        backup.Subcommands.Add(CreateCommand(cli));
        backup.Subcommands.Add(ListCommand(cli));
        backup.Subcommands.Add(VerifyCommand(cli));
        backup.Subcommands.Add(RestoreCommand(cli));
        backup.Subcommands.Add(PruneCommand(cli));
        backup.Subcommands.Add(ScrubCommand(cli));
        backup.Subcommands.Add(StatusCommand(cli));
        backup.Subcommands.Add(PhotoBackupCommand.Create(cli));
        return backup;
    }

    private static Command CreateCommand(CliHost cli)
    {
        var reason = new Option<string>("--reason") { Description = "Why the backup is taken.", DefaultValueFactory = _ => BackupReasons.Manual };
        reason.AcceptOnlyFromAmong([.. BackupReasons.Requestable]);
        var command = new Command("create", "Take a consistent backup of the database while the server runs; prints its id.") { reason };
        command.SetAction((parse, cancellationToken) => RunAsync(cli, async backups =>
        {
            var manifest = await WithProgressAsync(cli.Terminal, "Backing up", progress => backups.CreateAsync(parse.GetValue(reason)!, progress, cancellationToken));
            cli.Terminal.Errors.WriteLine($"backup {manifest.Id}: {manifest.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes, {manifest.RowCounts.Values.Sum().ToString(CultureInfo.InvariantCulture)} rows, sha256 {manifest.Sha256}");
            cli.Terminal.Out.WriteLine(manifest.Id);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command ListCommand(CliHost cli)
    {
        var command = new Command("list", "List the backups, oldest first: id, age, reason, size, erasures, verified.");
        command.SetAction((parse, cancellationToken) => RunAsync(cli, async (backups, clock) =>
        {
            var all = await backups.ListAsync(cancellationToken);
            if (all.Count == 0)
            {
                cli.Terminal.Out.WriteLine("no backups yet");
                return 0;
            }
            var erasures = await backups.ErasuresAsync(cancellationToken);
            var now = clock.GetUtcNow();
            cli.Terminal.Out.WriteLine($"{"id",-26} {"age",-10} {"reason",-14} {"size",12}  {"erasures",-12}  verified");
            foreach (var entry in all)
            {
                var verified = entry.Verification switch
                {
                    null => "no",
                    { Succeeded: true } v => $"yes ({Age(now - v.VerifiedAt)} ago)",
                    { } v => $"FAILED ({Age(now - v.VerifiedAt)} ago): {v.Detail}",
                };
                var scrub = entry.AwaitsScrub(erasures) ? "awaits scrub" : entry.Manifest.ScrubbedAt is null ? "clean" : "scrubbed";
                cli.Terminal.Out.WriteLine($"{entry.Manifest.Id,-26} {Age(now - entry.Manifest.CreatedAt),-10} {entry.Manifest.Reason,-14} {entry.Manifest.SizeBytes,12}  {scrub,-12}  {verified}");
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Argument<string> BackupArgument() => new("backup") { Description = "A backup id, or 'latest' for the newest." };

    private static Command VerifyCommand(CliHost cli)
    {
        var which = BackupArgument();
        which.Arity = ArgumentArity.ZeroOrOne;
        var photos = PhotoVerifyCommand.PhotosOption();
        var sample = PhotoVerifyCommand.SampleOption();
        var command = new Command("verify", "Restore a backup into a scratch database, check its integrity and row counts, and record the result; " +
            "with --photos, re-read the photo copies and check their hashes.") { which, photos, sample };
        command.SetAction((parse, cancellationToken) =>
        {
            var backup = parse.GetValue(which);
            var checkPhotos = parse.GetValue(photos);
            var refusal = PhotoVerifyCommand.ReadSample(parse.GetValue(sample), out var percent) ?? (backup, checkPhotos, parse.GetValue(sample)) switch
            {
                (null, false, null) => "name the backup to verify (an id, or 'latest'), or give --photos to verify the photo copies.",
                (_, false, { }) => "--sample applies to the photo copies: give it with --photos.",
                _ => null,
            };
            if (refusal is not null)
            {
                cli.Terminal.Error(refusal);
                return Task.FromResult(ExitCodes.CouldNotRun);
            }
            return RunWithServicesAsync(cli, async (backups, services) =>
            {
                var exitCode = backup is null ? ExitCodes.Done : await VerifyDatabaseBackupAsync(cli, backups, backup, cancellationToken);
                return checkPhotos ? Math.Max(exitCode, await PhotoVerifyCommand.RunAsync(cli, services, percent, cancellationToken)) : exitCode;
            }, cancellationToken);
        });
        return command;
    }

    private static async Task<int> VerifyDatabaseBackupAsync(CliHost cli, BackupService backups, string which, CancellationToken cancellationToken)
    {
        var manifest = (await backups.FindAsync(which, cancellationToken)).Manifest;
        var verification = await WithProgressAsync(cli.Terminal, "Verifying", progress => backups.VerifyAsync(manifest.Id, progress, cancellationToken));
        if (!verification.Succeeded)
        {
            cli.Terminal.Error($"backup {manifest.Id} failed verification: {verification.Detail}");
            return ExitCodes.SomeFailed;
        }
        cli.Terminal.Out.WriteLine($"backup {manifest.Id} verified: {verification.Detail}");
        PhotoBackupCommand.Report(cli.Terminal, await backups.CheckPhotoCopiesAsync(manifest, cancellationToken));
        return ExitCodes.Done;
    }

    private static Command RestoreCommand(CliHost cli)
    {
        var which = BackupArgument();
        var yes = new Option<bool>("--yes") { Description = "Replace a database that holds data (a safety backup of it is taken first)." };
        var command = new Command("restore",
            "Replace the database with a backup: safety backup first, then restore, migrate to this build, and replay the erasure ledger. " +
            "On SQLite a running server sees the switch at once; on PostgreSQL stop the servers (scale to zero) first.")
        { which, yes };
        command.SetAction((parse, cancellationToken) => RunAsync(cli, async backups =>
        {
            var id = (await backups.FindAsync(parse.GetValue(which)!, cancellationToken)).Manifest.Id;
            if (!parse.GetValue(yes) && await backups.LiveDatabaseHoldsDataAsync(cancellationToken))
            {
                cli.Terminal.Error($"the database holds data; restoring {id} would replace it. Run again with --yes (a safety backup of the current database is taken first).");
                return 2;
            }
            var outcome = await WithProgressAsync(cli.Terminal, "Restoring", progress => backups.RestoreAsync(id, progress, cancellationToken));
            if (outcome.SafetyBackupId is not null)
            {
                cli.Terminal.Out.WriteLine($"safety backup of the replaced database: {outcome.SafetyBackupId}");
            }
            cli.Terminal.Out.WriteLine($"restored {outcome.Restored.Id} (taken {outcome.Restored.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC); erasures replayed: {outcome.ErasuresReplayed.ToString(CultureInfo.InvariantCulture)}");
            // Photo files are not in a backup: photos deleted since it are back without them until fsck marks them.
            cli.Terminal.Out.WriteLine("next: run 'keepsake fsck --repair' to mark photos deleted since the backup as missing (or let the scheduled repair do it)");
            PhotoBackupCommand.Report(cli.Terminal, await backups.CheckPhotoCopiesAsync(outcome.Restored, cancellationToken));
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command PruneCommand(CliHost cli)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be deleted, and why." };
        var command = new Command("prune", "Delete the backups retention no longer keeps (see Backups:KeepAllFor and Backups:KeepDailyFor), and backup folders without a manifest " +
            "older than a day (left by a create that was killed).") { dryRun };
        command.SetAction((parse, cancellationToken) => RunAsync(cli, async backups =>
        {
            var dry = parse.GetValue(dryRun);
            var pruned = await backups.PruneAsync(dry, cancellationToken);
            foreach (var decision in pruned.Decisions.Where(d => !d.Keep))
            {
                cli.Terminal.Out.WriteLine($"{(dry ? "would delete" : "deleted")} {decision.Backup.Id}: {decision.Backup.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {decision.Reason}");
            }
            foreach (var id in pruned.Incomplete)
            {
                cli.Terminal.Out.WriteLine($"{(dry ? "would delete" : "deleted")} {id}: incomplete (no manifest), left by a run that did not finish");
            }
            var kept = pruned.Decisions.Count(d => d.Keep);
            cli.Terminal.Out.WriteLine($"{(dry ? "would keep" : "kept")} {kept.ToString(CultureInfo.InvariantCulture)}, {(dry ? "would delete" : "deleted")} {pruned.Deleted.ToString(CultureInfo.InvariantCulture)}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command ScrubCommand(CliHost cli)
    {
        var command = new Command("scrub",
            "Rewrite every backup that may still hold an erased user: restore it into a scratch database, erase the erasure ledger's users there, " +
            "store it again under the same id, time and reason, and verify it. Exits 1 when a backup could not be scrubbed or verified.");
        command.SetAction((parse, cancellationToken) => RunAsync(cli, async backups =>
        {
            var outcomes = await WithProgressAsync(cli.Terminal, "Scrubbing", progress => backups.ScrubAsync(progress, cancellationToken));
            foreach (var outcome in outcomes)
            {
                cli.Terminal.Out.WriteLine(outcome switch
                {
                    { Failure: { } failure } => $"backup {outcome.BackupId} NOT scrubbed: {failure}",
                    { Verification: { Succeeded: false } v } => $"backup {outcome.BackupId} scrubbed but FAILED verification: {v.Detail}",
                    { Rewritten: true } => $"scrubbed {outcome.BackupId}: erased users removed, verified",
                    _ => $"checked {outcome.BackupId}: held no erased user, left as it was",
                });
            }
            var failed = outcomes.Count(o => !o.Succeeded);
            cli.Terminal.Out.WriteLine($"scrubbed {outcomes.Count(o => o.Rewritten && o.Succeeded).ToString(CultureInfo.InvariantCulture)}, " +
                $"already clean {outcomes.Count(o => !o.Rewritten && o.Succeeded).ToString(CultureInfo.InvariantCulture)}, failed {failed.ToString(CultureInfo.InvariantCulture)}");
            if (failed > 0)
            {
                cli.Terminal.Error($"{failed.ToString(CultureInfo.InvariantCulture)} backup(s) could not be scrubbed; see above, then run 'keepsake backup scrub' again.");
                return 1;
            }
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command StatusCommand(CliHost cli)
    {
        var command = new Command("status",
            "The newest backup and the newest verified one; exits 1 when either is missing or older than its threshold, or when a backup still holds a user erased longer ago than Backups:ScrubWithin.");
        command.SetAction((parse, cancellationToken) => RunAsync(cli, async (backups, clock) =>
        {
            var status = await backups.StatusAsync(cancellationToken);
            var now = clock.GetUtcNow();
            cli.Terminal.Out.WriteLine(Describe("newest backup", status.Newest, status.NewestStale, now));
            cli.Terminal.Out.WriteLine(Describe("newest verified backup", status.NewestVerified, status.VerifiedStale, now));
            if (status.OldestUnscrubbedErasure is { } erasure)
            {
                cli.Terminal.Out.WriteLine($"awaiting scrub: {status.AwaitingScrub.ToString(CultureInfo.InvariantCulture)} backup(s), oldest erasure {Age(now - erasure.ErasedAt)} ago{(status.ScrubOverdue ? " (OVERDUE)" : "")}");
            }
            return status.Healthy ? 0 : 1;
        }, cancellationToken));
        return command;
    }

    private static string Describe(string what, BackupEntry? entry, bool stale, DateTimeOffset now) => entry is null
        ? $"{what}: none (STALE)"
        : $"{what}: {entry.Manifest.Id}, {Age(now - entry.Manifest.CreatedAt)} old{(stale ? " (STALE)" : "")}";

    private static string Age(TimeSpan age) => age switch
    {
        { TotalDays: >= 2 } => $"{(int)age.TotalDays}d",
        { TotalHours: >= 2 } => $"{(int)age.TotalHours}h",
        { TotalMinutes: >= 2 } => $"{(int)age.TotalMinutes}m",
        _ => $"{Math.Max(0, (int)age.TotalSeconds)}s",
    };

    private static Task<int> RunAsync(CliHost cli, Func<BackupService, Task<int>> action, CancellationToken cancellationToken) =>
        RunAsync(cli, (backups, _) => action(backups), cancellationToken);

    private static Task<int> RunAsync(CliHost cli, Func<BackupService, TimeProvider, Task<int>> action, CancellationToken cancellationToken) =>
        RunWithServicesAsync(cli, (backups, services) => action(backups, services.GetRequiredService<TimeProvider>()), cancellationToken);

    private static async Task<int> RunWithServicesAsync(CliHost cli, Func<BackupService, IServiceProvider, Task<int>> action, CancellationToken cancellationToken)
    {
        using var host = await cli.StartAsync(cancellationToken);
        try
        {
            return await action(host.Services.GetRequiredService<BackupService>(), host.Services);
        }
        catch (BackupException e)
        {
            cli.Terminal.Error(e.Message);
            return StorageFault.Classify(e) is null ? ExitCodes.SomeFailed : ExitCodes.CouldNotRun;
        }
    }

    /// <summary>A progress bar over the operation's steps on a terminal; one line per step on stderr otherwise.</summary>
    internal static async Task<T> WithProgressAsync<T>(Terminal terminal, string title, Func<IProgress<BackupProgress>, Task<T>> work)
    {
        if (!terminal.IsInteractive)
        {
            return await work(new ImmediateProgress<BackupProgress>(p => terminal.Errors.WriteLine($"[{p.Number}/{p.Total}] {p.Step}")));
        }
        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title);
                var result = await work(new ImmediateProgress<BackupProgress>(p =>
                {
                    task.Description = Markup.Escape($"{title}: {p.Step}");
                    task.MaxValue = p.Total;
                    task.Value = p.Number - 1;
                }));
                task.Value = task.MaxValue;
                task.Description = Markup.Escape(title + ": done");
                return result;
            });
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
