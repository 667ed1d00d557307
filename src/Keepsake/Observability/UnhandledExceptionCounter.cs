using Microsoft.AspNetCore.Diagnostics;

namespace Keepsake.Observability;

/// <summary>
/// The last exception handler: it answers nothing (the default 500 problem follows) and only counts, so an exception
/// no other handler turned into a designed answer (507, 503) shows in <c>keepsake_exceptions_total</c>, which the
/// alert rules read in place of a log query.
/// </summary>
internal sealed class UnhandledExceptionCounter(KeepsakeMetrics metrics) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        metrics.ExceptionUnhandled();
        return ValueTask.FromResult(false);
    }
}
