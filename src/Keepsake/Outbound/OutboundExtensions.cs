using Keepsake.Hosting;
using Microsoft.Extensions.Options;

namespace Keepsake.Outbound;

public static class OutboundExtensions
{
    public static IServiceCollection AddKeepsakeOutbound(this IServiceCollection services) =>
        services.AddValidatedOptions<OutboundOptions>(OutboundOptions.Section);

    /// <summary>
    /// Puts a typed client under the outbound rules: redirects are never followed (a 3xx is the answer), only
    /// allowed addresses are connected to, connections time out and answers are read up to the size cap.
    /// </summary>
    public static IHttpClientBuilder WithOutboundRules(this IHttpClientBuilder builder) =>
        builder
            .ConfigureHttpClient((services, http) =>
                http.MaxResponseContentBufferSize = services.GetRequiredService<IOptions<OutboundOptions>>().Value.MaxResponseBytes)
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = services.GetRequiredService<IOptions<OutboundOptions>>().Value;
                var allowedNetworks = options.ParsedNetworks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectTimeout = options.ConnectTimeout,
                    MaxResponseHeadersLength = 64,
                    ConnectCallback = (context, cancellationToken) => OutboundAddresses.ConnectAsync(context.DnsEndPoint, allowedNetworks, cancellationToken),
                };
            });
}
