using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Keepsake.Data;

/// <summary>Where the configured database stands against the migrations this build knows.</summary>
public sealed record MigrationStatus(IReadOnlyList<string> Known, IReadOnlyList<string> Applied)
{
    /// <summary>Known to this build and not yet in the database, in the order they apply.</summary>
    public IReadOnlyList<string> Pending => Known.Except(Applied, StringComparer.Ordinal).ToList();

    /// <summary>In the database but not known to this build: applied by a newer release.</summary>
    public IReadOnlyList<string> AppliedByNewerRelease => Applied.Except(Known, StringComparer.Ordinal).ToList();

    public bool IsUpToDate => Pending.Count == 0;
}

/// <summary>How a wait for the schema ended: up to date, or out of time with what was still missing.</summary>
public sealed record MigrationWaitResult(bool IsUpToDate, IReadOnlyList<string> Pending, Exception? LastError);

/// <summary>
/// Applies, inspects and waits for this build's migrations on the configured database. Applying goes
/// through EF Core's <c>MigrateAsync</c>, which holds EF's migration lock while it reads the history and
/// applies (on SQLite a lock row in <c>__EFMigrationsLock</c>; on PostgreSQL an advisory lock around it,
/// see <see cref="TakeMigrationLockAsync"/>), so two processes migrating at once apply each migration once
/// and the second finds nothing left to do.
/// </summary>
internal sealed class DatabaseMigrations(IOptions<DatabaseOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
{
    /// <summary>Between two looks at the database while waiting; short, as an init container waits on it.</summary>
    public static readonly TimeSpan WaitInterval = TimeSpan.FromSeconds(1);

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var db = CreateContext(onApplying: null);
        return await ReadStatusAsync(db, cancellationToken);
    }

    /// <summary>
    /// Brings the database to this build's schema and returns the migrations this process applied: empty
    /// when it was up to date, or when another process applied them first while this one waited for the lock.
    /// <paramref name="beforeApplying"/> runs only when migrations are pending, under the lock on PostgreSQL
    /// (the pre-migration backup): a second process that waited for it finds them applied and backs nothing up.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(Func<MigrationStatus, CancellationToken, Task>? beforeApplying, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (journalMode, problem) = SqliteJournal.Choose(settings);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }
        // EF logs each migration it applies, so these are the ones this process applied,
        // not the ones another process applied while this one waited.
        var applied = new List<string>();
        await using (var db = CreateContext(applied.Add))
        {
            await using var migrationLock = await TakeMigrationLockAsync(db, cancellationToken);
            var status = await ReadStatusAsync(db, cancellationToken);
            if (!status.IsUpToDate)
            {
                if (beforeApplying is not null)
                {
                    await beforeApplying(status, cancellationToken);
                }
                // EF decides under its own lock what is still left to apply.
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        if (journalMode is not null)
        {
            await using var db = CreateContext(onApplying: null);
            // With the write-ahead log readers never wait for a writer; the journal mode is kept in the file.
            await db.Database.ExecuteSqlRawAsync(journalMode == "WAL" ? "PRAGMA journal_mode=WAL;" : "PRAGMA journal_mode=DELETE;", cancellationToken);
        }
        return applied;
    }

    private static async Task<MigrationStatus> ReadStatusAsync(KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        return new MigrationStatus(db.Database.GetMigrations().ToList(), applied.ToList());
    }

    /// <summary>
    /// Looks at the database every <paramref name="interval"/> until it has every migration this build
    /// knows or <paramref name="timeout"/> has passed. A database that cannot be reached yet (still
    /// starting, not created yet) counts as not ready, not as a failure.
    /// </summary>
    public async Task<MigrationWaitResult> WaitUntilUpToDateAsync(TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        IReadOnlyList<string> pending;
        await using (var db = CreateContext(onApplying: null))
        {
            pending = db.Database.GetMigrations().ToList();
        }
        while (true)
        {
            Exception? lastError = null;
            try
            {
                var status = await GetStatusAsync(cancellationToken);
                if (status.IsUpToDate)
                {
                    return new MigrationWaitResult(true, [], null);
                }
                pending = status.Pending;
            }
            catch (Exception exception) when (exception is DbException or TimeoutException)
            {
                lastError = exception;
            }
            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= timeout)
            {
                return new MigrationWaitResult(false, pending, lastError);
            }
            var remaining = timeout - elapsed;
            await Task.Delay(remaining < interval ? remaining : interval, time, cancellationToken);
        }
    }

    /// <summary>Any fixed number: the session-level advisory lock every Keepsake process migrating a PostgreSQL database takes.</summary>
    private const long PostgresMigrationLock = 0x4B65_6570_7361_6B65;

    private static readonly TimeSpan LockRetryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// EF's own lock on PostgreSQL (<c>LOCK TABLE</c> on the history table) ends with each migration's
    /// transaction, so with several pending migrations a second process can read the history between two of
    /// them and apply the next one again. A session-level advisory lock held across the whole run, from reading
    /// what is pending to the last migration, closes that gap. The lock needs the database, so one nobody has
    /// created yet is created first. SQLite is migrated only by the one server that owns the file, under EF's lock row.
    /// </summary>
    private static async Task<IAsyncDisposable> TakeMigrationLockAsync(KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        if (db is not PostgresKeepsakeDbContext)
        {
            return NoLock.Instance;
        }
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Of two processes started together on a database nobody created, one loses that race; it exists now.
            }
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Tried, not waited for inside one statement: a waiting statement holds a snapshot, and a migration that builds an
            // index CONCURRENTLY waits for every snapshot to end, so the lock's holder would wait on its waiter for ever.
            while (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({PostgresMigrationLock}) AS \"Value\"").SingleAsync(cancellationToken))
            {
                await Task.Delay(LockRetryInterval, cancellationToken);
            }
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        return new PostgresAdvisoryLock(db);
    }

    private sealed class PostgresAdvisoryLock(KeepsakeDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PostgresMigrationLock})", CancellationToken.None);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private KeepsakeDbContext CreateContext(Action<string>? onApplying)
    {
        var settings = options.Value;
        if (settings.IsSqlite)
        {
            var sqlite = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
            DataExtensions.ConfigureSqlite(sqlite, settings.ConnectionString);
            Configure(sqlite, onApplying);
            return new SqliteKeepsakeDbContext(sqlite.Options);
        }
        var postgres = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
        DataExtensions.ConfigurePostgres(postgres, settings.ConnectionString);
        Configure(postgres, onApplying);
        return new PostgresKeepsakeDbContext(postgres.Options);
    }

    private void Configure(DbContextOptionsBuilder builder, Action<string>? onApplying)
    {
        builder.UseLoggerFactory(loggerFactory);
        if (onApplying is not null)
        {
            builder.LogTo(
                (eventId, _) => eventId == RelationalEventId.MigrationApplying,
                data =>
                {
                    if (data is MigrationEventData migration && migration.Migration.GetType().GetCustomAttribute<MigrationAttribute>() is { } id)
                    {
                        onApplying(id.Id);
                    }
                });
        }
    }
}
