using Keepsake.Backups;
using Keepsake.Storage;
using Microsoft.Extensions.Logging.Console;

namespace Keepsake.Cli;

/// <summary>The services of a command-line verb: the same core as the server, quiet logs on stderr.</summary>
internal static class CliHost
{
    public static async Task<IHost> StartAsync(CancellationToken cancellationToken)
    {
        var host = Build();
        host.Services.GetRequiredService<ScratchAreas>().SweepStale();
        await host.Services.MigrateEmbeddedDatabaseAsync(cancellationToken);
        return host;
    }

    /// <summary>
    /// The services without bringing the embedded database up to date first, for the verbs that manage
    /// migrations; <paramref name="configure"/> adjusts the builder (e.g. its logging) before it builds.
    /// </summary>
    public static IHost Build(Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // Only warnings reach a person at a shell; this filter is for the console provider, so it wins over
        // the server's levels in appsettings.json.
        builder.Logging.AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
        builder.AddKeepsakeCore();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
