using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Keepsake.Tests.Faults;

/// <summary>
/// What a server logs that a race must not cause: an error, or a database command that failed (a deadlock PostgreSQL
/// broke after a second, a row a foreign key refused), which EF Core may log below Error when a caller handles it.
/// </summary>
public sealed class FaultLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Adds the log to a server's logging, with failed commands let through at any level.</summary>
    public void AddTo(ILoggingBuilder logging) =>
        logging.AddProvider(this).AddFilter<FaultLog>(DbLoggerCategory.Database.Command.Name, LogLevel.Trace);

    /// <summary>What was logged since the last call.</summary>
    public IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        while (_entries.TryDequeue(out var entry))
        {
            taken.Add(entry);
        }
        return taken;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(FaultLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error || eventId.Id == RelationalEventId.CommandError.Id)
            {
                log._entries.Enqueue($"{logLevel} {eventId.Name}: {formatter(state, exception)}\n{exception}");
            }
        }
    }
}
