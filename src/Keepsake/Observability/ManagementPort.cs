using Microsoft.AspNetCore.Http.Features;

namespace Keepsake.Observability;

/// <summary>
/// Adds the management port to the addresses the server listens on, and keeps each port to its own
/// paths: the management port serves only <c>/metrics</c> and <c>/healthz</c>; the public port never
/// serves <c>/metrics</c>. The decision is made on the port the connection arrived on, not on the Host
/// header, which a client chooses.
/// </summary>
public static class ManagementPort
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/healthz";

    /// <summary>
    /// The public addresses as ASP.NET Core would choose them (<c>urls</c>, else <c>http_ports</c>/<c>https_ports</c>,
    /// else localhost:5000), plus the management port on each of their hosts.
    /// </summary>
    public static IReadOnlyList<string> Addresses(IConfiguration configuration, int managementPort)
    {
        var publicAddresses = Split(configuration["urls"]);
        if (publicAddresses.Count == 0)
        {
            publicAddresses = [
                .. Split(configuration["http_ports"]).Select(port => $"http://*:{port}"),
                .. Split(configuration["https_ports"]).Select(port => $"https://*:{port}"),
            ];
        }
        if (publicAddresses.Count == 0)
        {
            publicAddresses = ["http://localhost:5000"];
        }
        var management = publicAddresses
            .Select(address => BindingAddress.Parse(address).Host)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(host => $"http://{host}:{managementPort}");
        return [.. publicAddresses, .. management];
    }

    private static List<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app, int managementPort) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var onManagementPort = context.Connection.LocalPort == managementPort;
            if (onManagementPort && context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
            {
                // Scrapes and probes are not traffic: they stay out of the request metrics.
                metrics.MetricsDisabled = true;
            }
            var allowed = onManagementPort
                ? path.StartsWithSegments(MetricsPath) || path.StartsWithSegments(HealthPath)
                : !path.StartsWithSegments(MetricsPath);
            if (!allowed)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context);
        });
}
