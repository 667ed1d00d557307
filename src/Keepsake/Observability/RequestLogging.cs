using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Keepsake.Observability;

/// <summary>
/// One log line per request worth reading (<see cref="RequestLogOptions"/>): method, route template, status and duration
/// (the JSON format adds the trace id). The route is the template (<c>/api/s/{token}</c>), never the path, so share
/// tokens and other values in URLs are not logged; query strings, headers and bodies are never logged either.
/// </summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger, IOptions<RequestLogOptions> options)
{
    private readonly bool _all = options.Value.All;
    private readonly TimeSpan _slowerThan = options.Value.SlowerThan;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = context.Response.StatusCode;
            var aborted = context.RequestAborted.IsCancellationRequested;
            if (_all || status >= StatusCodes.Status400BadRequest || aborted || elapsed >= _slowerThan)
            {
                // Probes and scrapes arrive every few seconds; they are logged only when debugging.
                var path = context.Request.Path;
                var level = path.StartsWithSegments(ManagementPort.HealthPath) || path.StartsWithSegments(ManagementPort.MetricsPath)
                    ? LogLevel.Debug
                    : LogLevel.Information;
                if (logger.IsEnabled(level))
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                    LogRequest(logger, level, context.Request.Method, route, status, elapsed.TotalMilliseconds, aborted);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1, EventName = "Request",
        Message = "{Method} {Route} answered {Status} in {DurationMs:0.0} ms (client gone: {Aborted})")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, int status, double durationMs, bool aborted);
}
