using System.Collections.Concurrent;
using System.Net;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Keepsake.Tests.Observability;

/// <summary>
/// Which requests get a log line (<c>RequestLog</c> settings): errors and slow requests always, successful fast ones
/// only with <c>RequestLog:All</c>. Slowness is made certain, not measured: a threshold of an hour makes no request
/// slow, one of zero makes every request slow.
/// </summary>
public sealed class RequestLogTests
{
    private const string Category = "Keepsake.Observability.RequestLogging";

    [Fact]
    public async Task By_default_a_successful_fast_request_is_not_logged_and_an_error_is()
    {
        var lines = new RequestLines();
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["RequestLog:SlowerThan"] = "01:00:00" });
        using var server = lines.Capture(app);
        using var client = server.CreateClient();

        await (await client.GetAsync("/api/setup")).EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/s/not-a-real-token-abcdef")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/photos")).StatusCode);

        Assert.Equal(["GET /api/s/{token}/ answered 404", "GET /api/photos/ answered 401"], lines.Taken());
    }

    [Fact]
    public async Task A_request_slower_than_the_threshold_is_logged_though_it_succeeded()
    {
        var lines = new RequestLines();
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["RequestLog:SlowerThan"] = "00:00:00" });
        using var server = lines.Capture(app);
        using var client = server.CreateClient();

        await (await client.GetAsync("/api/setup")).EnsureSuccessAsync();

        Assert.Equal(["GET /api/setup/ answered 200"], lines.Taken());
    }

    [Fact]
    public async Task With_all_requests_on_every_request_is_logged()
    {
        var lines = new RequestLines();
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["RequestLog:All"] = "true", ["RequestLog:SlowerThan"] = "01:00:00" });
        using var server = lines.Capture(app);
        using var client = server.CreateClient();

        await (await client.GetAsync("/api/setup")).EnsureSuccessAsync();

        Assert.Equal(["GET /api/setup/ answered 200"], lines.Taken());
    }

    /// <summary>The request log's lines, cut to method, route and status (the duration varies).</summary>
    private sealed class RequestLines : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Capture(KeepsakeApp app) =>
            app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
                logging.AddProvider(this).AddFilter<RequestLines>(Category, LogLevel.Information)));

        public IReadOnlyList<string> Taken() => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName == Category ? _lines : null);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string>? lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => lines is not null;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var message = formatter(state, exception);
                lines?.Enqueue(message[..message.IndexOf(" in ", StringComparison.Ordinal)]);
            }
        }
    }
}
