using Keepsake.Data;
using Keepsake.Operations;
using Microsoft.Extensions.Logging.Console;

namespace Keepsake.Cli;

/// <summary>The services of a command-line verb: the same core as the server, quiet logs on stderr.</summary>
internal static class CliHost
{
    public static async Task<IHost> StartAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // Only warnings reach a person at a shell; this filter is for the console provider, so it wins over
        // the server's levels in appsettings.json.
        builder.Logging.AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
        builder.AddKeepsakeCore();
        var host = builder.Build();
        await host.Services.MigrateEmbeddedDatabaseAsync(cancellationToken);
        return host;
    }
}
