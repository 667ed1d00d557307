using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Keepsake.Observability;

/// <summary>
/// A database that cannot be reached (stopped, restarting, failing over) is a temporary outage, not a
/// bug: the caller gets 503 with <c>Retry-After</c> instead of a 500, and the server recovers by itself
/// once the database answers again (Npgsql drops the pooled connections the outage ended).
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransientDatabaseFailure(exception))
        {
            return false;
        }
        LogDatabaseUnavailable(logger, exception.GetType().Name);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = $"Keepsake cannot reach its database right now. Nothing was changed; try again in {RetryAfterSeconds} seconds.",
            },
        });
    }

    /// <summary>Npgsql marks connection failures and timeouts transient; SQLite marks a busy or locked file so.</summary>
    public static bool IsTransientDatabaseFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unavailable ({Error}); answered 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string error);
}
