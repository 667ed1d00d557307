using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Secrets;
using Keepsake.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Keepsake;

/// <summary>
/// Before the server listens: the settings are valid and every configured server can be reached. A wrong
/// setting is an operator's mistake, not a crash, so it ends the process with one line naming the setting
/// and no stack trace. Once running, a dependency that goes away only turns <c>/healthz/ready</c> 503: the
/// process stays up so it is ready again as soon as the dependency is back.
/// </summary>
public static class StartupChecks
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Prints the problem and returns false when this process must not start.</summary>
    public static async Task<bool> PassesStartupChecksAsync(this WebApplication app)
    {
        var problem = await FindProblemAsync(app.Services, app.Lifetime.ApplicationStopping);
        if (problem is null)
        {
            return true;
        }
        await Console.Error.WriteLineAsync("keepsake cannot start: " + OneLine(problem));
        return false;
    }

    private static async Task<string?> FindProblemAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            return string.Join(" ", e.Failures);
        }
        return await DatabaseProblemAsync(services.GetRequiredService<IOptions<DatabaseOptions>>().Value, cancellationToken)
            ?? await StorageProblemAsync(services, cancellationToken)
            ?? await CacheProblemAsync(services.GetRequiredService<IOptions<CacheOptions>>().Value)
            ?? services.GetRequiredService<KeyEncryptionKey>().Problem;
    }

    /// <summary>The embedded SQLite file is created and migrated at start, on a local disk; PostgreSQL must answer.</summary>
    private static async Task<string?> DatabaseProblemAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        if (options.IsSqlite)
        {
            try
            {
                return SqliteJournal.Choose(options).Problem ?? SqliteWriteProblem(options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"Database:ConnectionString: the SQLite database cannot be written: {e.Message}";
            }
        }
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Timeout = (int)ConnectTimeout.TotalSeconds, Pooling = false };
        }
        catch (ArgumentException e)
        {
            return $"Database:ConnectionString is not a valid PostgreSQL connection string: {e.Message}";
        }
        try
        {
            await using var db = new NpgsqlConnection(connection.ConnectionString);
            await db.OpenAsync(cancellationToken);
            await using var readOnly = new NpgsqlCommand("SHOW transaction_read_only", db);
            return (string?)await readOnly.ExecuteScalarAsync(cancellationToken) == "on"
                ? $"Database:ConnectionString: PostgreSQL at {connection.Host}:{connection.Port} (database '{connection.Database}') takes no writes " +
                    "(transaction_read_only is on: a standby, or default_transaction_read_only); point Keepsake at the primary."
                : null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return $"Database:ConnectionString: PostgreSQL at {connection.Host}:{connection.Port} (database '{connection.Database}') cannot be used: {e.Message}";
        }
    }

    /// <summary>SQLite opens a file it may not write read-only without a word, and then fails every write: refused here instead.</summary>
    private static string? SqliteWriteProblem(DatabaseOptions options) =>
        options.SqliteFile is { } file && SqliteFiles.WriteProblem(file) is { } problem
            ? "Database:ConnectionString: " + problem + "."
            : null;

    private static async Task<string?> StorageProblemAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<StorageOptions>>().Value.IsS3)
        {
            return null;
        }
        try
        {
            await services.GetRequiredService<IBlobStore>().CheckHealthAsync(cancellationToken);
            return null;
        }
        catch (IOException e)
        {
            return "Storage:S3: " + e.Message;
        }
    }

    private static async Task<string?> CacheProblemAsync(CacheOptions options)
    {
        if (!options.UsesRedis)
        {
            return null;
        }
        ConfigurationOptions redis;
        try
        {
            redis = ConfigurationOptions.Parse(options.Redis!);
        }
        catch (ArgumentException e)
        {
            return $"Cache:Redis is not a valid Redis configuration: {e.Message}";
        }
        redis.AbortOnConnectFail = true;
        redis.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        redis.ConnectRetry = 1;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
            await connection.GetDatabase().PingAsync();
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // StackExchange.Redis explains itself over several lines; the endpoint is what an operator needs.
            return $"Cache:Redis: Redis at {string.Join(", ", redis.EndPoints)} cannot be reached ({e.GetType().Name}).";
        }
    }

    /// <summary>The message a settings class wrote (which names the setting), without the wrapping that data-annotation
    /// validation adds around it.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
