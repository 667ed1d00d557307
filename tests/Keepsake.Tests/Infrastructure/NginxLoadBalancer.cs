using System.Globalization;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// nginx on a free loopback port, balancing over replicas' public ports. <see cref="RouteToAsync"/> rewrites the
/// upstream and reloads, as an ingress controller does when a pod's readiness changes.
/// </summary>
public sealed class NginxLoadBalancer : IAsyncDisposable
{
    private readonly NginxProcess _nginx;

    private NginxLoadBalancer(NginxProcess nginx)
    {
        _nginx = nginx;
        Address = new Uri($"http://127.0.0.1:{nginx.Port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri Address { get; }

    public string ErrorLog => _nginx.ErrorLog;

    public static async Task<NginxLoadBalancer> StartAsync(IReadOnlyCollection<Uri> backends) =>
        new(await NginxProcess.StartAsync((_, port) => Http(port, backends)));

    /// <summary>Sends new requests to <paramref name="backends"/> only, once nginx has reloaded.</summary>
    public Task RouteToAsync(IReadOnlyCollection<Uri> backends) => _nginx.ReloadAsync(Http(_nginx.Port, backends));

    private static string Http(int port, IReadOnlyCollection<Uri> backends)
    {
        var servers = string.Concat(backends.Select(b => $"    server 127.0.0.1:{b.Port.ToString(CultureInfo.InvariantCulture)};\n"));
        return $$"""
              # A reload closes idle keep-alive connections, racing a client that reuses one; ingress-nginx
              # changes endpoints without a reload, so one connection per request keeps this drill as gentle.
              keepalive_timeout 0;
              upstream keepsake {
            {{servers}}  }
              server {
                listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                location / {
                  proxy_pass http://keepsake;
                  proxy_set_header Host $host;
                  proxy_request_buffering off;
                }
              }
            """;
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
