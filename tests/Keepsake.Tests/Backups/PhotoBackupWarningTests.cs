using System.Collections.Concurrent;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Keepsake.Tests.Backups;

/// <summary>The server says as it starts whether the photos have a second copy (<c>Backups:Photos</c>).</summary>
public sealed class PhotoBackupWarningTests
{
    private static async Task<IReadOnlyList<string>> WarningsAtStartAsync(IDictionary<string, string?>? settings = null)
    {
        using var app = new KeepsakeApp(settings);
        var log = new WarningLog();
        using var server = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(log)));
        using var client = server.CreateClient();
        await (await client.GetAsync("/healthz/live")).Content.ReadAsStringAsync();
        return [.. log.Warnings];
    }

    [Fact]
    public async Task Without_a_photo_backup_target_the_server_warns_as_it_starts_that_the_photos_have_no_second_copy()
    {
        var warnings = await WarningsAtStartAsync();

        Assert.Contains(warnings, w => w.Contains("The photos have no second copy", StringComparison.Ordinal) && w.Contains("Backups:Photos:Provider", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_photo_backup_folder_the_server_starts_without_that_warning()
    {
        using var target = new TemporaryFolder();

        var warnings = await WarningsAtStartAsync(new Dictionary<string, string?> { ["Backups:Photos:Provider"] = "filesystem", ["Backups:Photos:Path"] = target.Path });

        Assert.DoesNotContain(warnings, w => w.Contains("no second copy", StringComparison.Ordinal));
    }

    private sealed class WarningLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(WarningLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    log.Warnings.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
