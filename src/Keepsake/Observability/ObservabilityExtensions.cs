using Keepsake.Hosting;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;

namespace Keepsake.Observability;

public static class ObservabilityExtensions
{
    /// <summary>
    /// Metrics (OpenTelemetry, exported for Prometheus on the management port), request logs, the log
    /// format, graceful shutdown and the answer to a database outage.
    /// </summary>
    public static WebApplicationBuilder AddKeepsakeObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ManagementOptions>(ManagementOptions.Section);
        builder.Services.AddValidatedOptions<ShutdownOptions>(ShutdownOptions.Section);
        builder.Services.AddValidatedOptions<RequestLogOptions>(RequestLogOptions.Section);

        var managementPort = builder.Configuration.GetValue(ManagementOptions.Section + ":" + nameof(ManagementOptions.Port), new ManagementOptions().Port);
        if (managementPort > 0)
        {
            builder.WebHost.UseUrls([.. ManagementPort.Addresses(builder.Configuration, managementPort)]);
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(KeepsakeMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }

        builder.AddKeepsakeLogFormat();
        // Hosting's own request lines carry the raw URL, share tokens included; Keepsake's request line (route
        // template, status, duration) replaces them, so they stay off even when an operator raises
        // Microsoft.AspNetCore's level.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var shutdown = builder.Configuration.GetSection(ShutdownOptions.Section).Get<ShutdownOptions>() ?? new ShutdownOptions();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown.DrainDelay + shutdown.RequestTimeout);
        builder.Services.AddHostedService<ShutdownDrain>();
        builder.Services.AddHealthChecks().AddCheck<DrainingHealthCheck>("draining", tags: [HealthEndpoints.ReadyTag]);

        builder.Services.AddExceptionHandler<StorageFaultHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        // Last: handlers are asked in order, so it sees only what the ones above did not answer.
        builder.Services.AddExceptionHandler<UnhandledExceptionCounter>();
        return builder;
    }

    /// <summary>
    /// <c>Logging:Format</c>: <c>json</c> (one JSON object per line, for Loki and friends), <c>plain</c>
    /// (the console format a person reads), or <c>auto</c> (the default: plain on a terminal, JSON when
    /// stdout is redirected, as in a container).
    /// </summary>
    public static void AddKeepsakeLogFormat(this IHostApplicationBuilder builder)
    {
        var format = builder.Configuration["Logging:Format"] ?? "auto";
        var json = format.ToUpperInvariant() switch
        {
            "JSON" => true,
            "PLAIN" => false,
            "AUTO" => Console.IsOutputRedirected,
            _ => throw new InvalidOperationException($"Logging:Format is '{format}'; use json, plain or auto."),
        };
        if (!json)
        {
            return;
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.FormatterName = JsonLogFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
    }

    /// <summary>Goes first in the pipeline: the request log line times everything after it.</summary>
    public static WebApplication UseKeepsakeObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        var managementPort = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ManagementOptions>>().Value.Port;
        if (managementPort > 0)
        {
            app.UseManagementPort(managementPort);
            // The provider is made before the zeros are added, so it listens when they are.
            _ = app.Services.GetRequiredService<MeterProvider>();
            app.Services.GetRequiredService<KeepsakeMetrics>().ExportCountersAtZero();
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Connection.LocalPort == managementPort && context.Request.Path == ManagementPort.MetricsPath);
        }
        return app;
    }
}
