using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Keepsake.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy (Traefik, an nginx Ingress) the connection comes from the proxy over http. The
/// forwarded headers of a trusted proxy give the server the client's address (throttles, logs) and the https scheme
/// (Secure cookies); anyone else's forwarded headers are ignored, so a client cannot pick its own address.
/// </summary>
public static class ReverseProxyExtensions
{
    public static IServiceCollection AddKeepsakeReverseProxy(this IServiceCollection services)
    {
        services.AddValidatedOptions<NetworkOptions>(NetworkOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((forwarded, network) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // One hop: the proxy's own entry, the last one, is the only one it vouches for.
            forwarded.ForwardLimit = 1;
            if (network.Value.ReplacesLoopback)
            {
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in network.Value.Proxies)
                {
                    forwarded.KnownProxies.Add(proxy);
                }
                foreach (var range in network.Value.Networks)
                {
                    forwarded.KnownIPNetworks.Add(range);
                }
            }
        });
        return services;
    }

    /// <summary>First in the pipeline: everything after it (logs, throttles, cookies) sees the real client.</summary>
    public static WebApplication UseKeepsakeReverseProxy(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}
