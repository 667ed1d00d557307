using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using System.Globalization;
using Keepsake.Backups;
using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Cli;

/// <summary>
/// <c>keepsake migrate [--wait [--timeout d]]</c>, <c>keepsake migrate status</c> and <c>keepsake migrate lint</c>:
/// the database schema as a deploy step (a Job migrates, init containers wait, CI lints).
/// </summary>
internal static class MigrateCommand
{
    private const int Failed = 1;

    public static Command Create(CliHost cli)
    {
        var wait = new Option<bool>("--wait")
        {
            Description = "Do not migrate: wait until the database has every migration this build needs (another process " +
                "applies them), then exit 0. For an init container; a database that cannot be reached yet is waited for too.",
        };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "With --wait: give up after this long with a non-zero exit naming what is still pending (e.g. 90s, 5m, 1h).",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
            CustomParser = ParseDuration,
        };
        var noBackup = new Option<bool>("--no-backup")
        {
            Description = "Apply pending migrations without taking a pre-migration backup first (a restore cannot undo them then).",
        };
        var command = new Command("migrate", "Back the database up when migrations are pending, then apply them under EF Core's migration lock, " +
            "printing each one applied.")
        {
            wait,
            timeout,
            noBackup,
            CreateStatus(cli),
            CreateLint(cli),
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(timeout) is { Implicit: false } && !result.GetValue(wait))
            {
                result.AddError("--timeout only applies with --wait.");
            }
            if (result.GetValue(noBackup) && result.GetValue(wait))
            {
                result.AddError("--no-backup only applies when migrating, not with --wait.");
            }
        });
        command.SetAction((parse, cancellationToken) => WithServicesAsync(cli,
            services => parse.GetValue(wait)
                ? WaitAsync(cli.Terminal, services.GetRequiredService<DatabaseMigrations>(), parse.GetValue(timeout), cancellationToken)
                : MigrateAsync(cli.Terminal, services, backUpFirst: !parse.GetValue(noBackup), cancellationToken)));
        return command;
    }

    private static Command CreateStatus(CliHost cli)
    {
        var command = new Command("status", "List the migrations this build knows, applied and pending, by name. Exits 0 whether or not any are " +
            "pending (use 'migrate --wait' to wait for them); non-zero only when the database cannot be read.");
        command.SetAction((_, cancellationToken) => WithServicesAsync(cli, async services =>
        {
            var status = await services.GetRequiredService<DatabaseMigrations>().GetStatusAsync(cancellationToken);
            foreach (var id in status.Known.Where(id => status.Applied.Contains(id, StringComparer.Ordinal)))
            {
                cli.Terminal.Out.WriteLine($"applied  {id}");
            }
            foreach (var id in status.AppliedByNewerRelease)
            {
                cli.Terminal.Out.WriteLine($"applied  {id} (not in this build: applied by a newer release)");
            }
            foreach (var id in status.Pending)
            {
                cli.Terminal.Out.WriteLine($"pending  {id}");
            }
            cli.Terminal.Out.WriteLine(status.IsUpToDate
                ? $"{status.Applied.Count} applied, 0 pending: up to date"
                : $"{status.Applied.Count} applied, {status.Pending.Count} pending: run 'keepsake migrate'");
            return 0;
        }));
        return command;
    }

    private static Command CreateLint(CliHost cli)
    {
        var command = new Command("lint", "Check every migration of both sets (SQLite and PostgreSQL) for changes the previous release " +
            "cannot run against (" + string.Join(", ", MigrationLint.Rules) + "); one line per violation, non-zero if any. " +
            "A migration that means it carries [AllowUnsafe(rule, reason)]. Needs no database.");
        command.SetAction(_ =>
        {
            var report = MigrationLint.Check(MigrationLint.ReadThisBuild());
            foreach (var finding in report.Allowed)
            {
                cli.Terminal.Out.WriteLine(finding);
            }
            foreach (var violation in report.Violations)
            {
                cli.Terminal.Out.WriteLine(violation);
            }
            cli.Terminal.Out.WriteLine(report.IsClean
                ? $"checked {report.MigrationsChecked} migrations: no violations, {report.Allowed.Count} allowed"
                : $"checked {report.MigrationsChecked} migrations: {report.Violations.Count} violation(s), {report.Allowed.Count} allowed");
            return report.IsClean ? 0 : Failed;
        });
        return command;
    }

    private static async Task<int> MigrateAsync(Terminal terminal, IServiceProvider services, bool backUpFirst, CancellationToken cancellationToken)
    {
        var migrations = services.GetRequiredService<DatabaseMigrations>();
        if (!backUpFirst)
        {
            terminal.Error("warning: --no-backup: pending migrations are applied without a backup to restore if they go wrong");
        }
        var backups = services.GetRequiredService<BackupService>();
        var applied = backUpFirst
            ? await BackupCommands.WithProgressAsync(terminal, "Backing up before migrating", progress => migrations.MigrateAsync(
                PreMigrationBackup.Before(backups, progress, manifest => terminal.Out.WriteLine($"Backed up the database as {manifest.Id} before migrating")),
                cancellationToken))
            : await migrations.MigrateAsync(beforeApplying: null, cancellationToken);
        foreach (var id in applied)
        {
            terminal.Out.WriteLine($"Applied {id}");
        }
        if (applied.Count == 0)
        {
            terminal.Out.WriteLine("Database is up to date");
        }
        return 0;
    }

    private static async Task<int> WaitAsync(Terminal terminal, DatabaseMigrations migrations, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await migrations.WaitUntilUpToDateAsync(timeout, DatabaseMigrations.WaitInterval, cancellationToken);
        if (result.IsUpToDate)
        {
            terminal.Out.WriteLine("Database is up to date");
            return 0;
        }
        var waited = FormatDuration(timeout);
        terminal.Error(result.LastError is null
            ? $"timed out after {waited} waiting for migrations; still pending: {string.Join(", ", result.Pending)}"
            : $"timed out after {waited} waiting for migrations; the database could not be read ({Describe(result.LastError)}); " +
                $"this build needs: {string.Join(", ", result.Pending)}");
        return Failed;
    }

    /// <summary>
    /// Runs a verb that works on the configured database; what goes wrong with the database or its settings
    /// is one line naming the reason, not a stack trace.
    /// </summary>
    private static async Task<int> WithServicesAsync(CliHost cli, Func<IServiceProvider, Task<int>> verb)
    {
        try
        {
            // Not CliHost.StartAsync: that would migrate the embedded database itself and leave 'migrate' nothing
            // to report. EF's own error log would repeat, as a multi-line entry, the one line printed below.
            using var host = cli.Build(silenced: DbLoggerCategory.Name);
            return await verb(host.Services);
        }
        catch (Exception exception) when (exception is DbException or OptionsValidationException or ArgumentException or TimeoutException
            or InvalidOperationException or BackupException)
        {
            cli.Terminal.Error(Describe(exception));
            return Failed;
        }
    }

    /// <summary>The exception's message and the causes beneath it, on one line.</summary>
    private static string Describe(Exception exception)
    {
        // EF wraps a database failure in advice about enabling retries in code; the operator needs the failure.
        var start = exception;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException)
            {
                start = current;
                break;
            }
        }
        var parts = new List<string>();
        for (var current = start; current is not null; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !parts.Any(part => part.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }
        return string.Join(": ", parts);
    }

    /// <summary>A duration as people write it: 90s, 5m, 1h, 500ms, or a TimeSpan such as 00:05:00.</summary>
    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
            {
                return TimeSpan.FromSeconds(amount * seconds);
            }
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }
        result.AddError($"'{text}' is not a duration; write e.g. 90s, 5m or 1h.");
        return default;
    }

    private static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 120
            ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : duration.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + "m";
}
