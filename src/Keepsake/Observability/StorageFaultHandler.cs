using System.Globalization;
using Keepsake.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Keepsake.Observability;

/// <summary>
/// A full disk, a read-only file system or database, or a folder the process may not write to is the server's fault,
/// never the client's: 507 Insufficient Storage for no space, 503 with <c>Retry-After</c> for the others (an operator
/// can fix them without a restart), logged at Error for the operator and counted in <c>keepsake_storage_faults_total</c>,
/// which an alert watches. Whatever the request had written is undone by its own clean-up before this runs.
/// </summary>
internal sealed partial class StorageFaultHandler(IProblemDetailsService problems, KeepsakeMetrics metrics, ILogger<StorageFaultHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 60;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (StorageFault.Classify(exception) is not { } kind)
        {
            return false;
        }
        LogStorageFault(logger, context.Request.Method, StorageFault.Describe(kind), exception.Message);
        metrics.StorageFailed(kind);
        var status = kind == StorageFaultKind.NoSpace ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status503ServiceUnavailable;
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = kind == StorageFaultKind.NoSpace ? "Server out of space" : "Server storage unavailable",
                Detail = $"Keepsake could not save this because {StorageFault.Describe(kind)}. Nothing was changed; " +
                    "the administrator has been told through the server's log and alerts. Try again later.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Method} request failed because {Fault}: {Error}")]
    private static partial void LogStorageFault(ILogger logger, string method, string fault, string error);
}
