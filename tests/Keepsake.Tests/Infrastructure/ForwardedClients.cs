using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// Many client addresses on an in-process server: the test server's connections come from loopback, as from a
/// reverse proxy on the same machine, and each client says who it is in <c>X-Forwarded-For</c>, which the server
/// honours from loopback (its default). The tests of the proxy itself go through nginx (<see cref="NginxReverseProxy"/>).
/// </summary>
public static class ForwardedClients
{
    public static WebApplicationFactory<Program> BehindLoopbackProxy(this WebApplicationFactory<Program> server) =>
        server.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, LoopbackConnections>()));

    /// <summary>A browser-like client whose requests the proxy forwards for <paramref name="clientAddress"/>.</summary>
    public static HttpClient CreateClientFrom(this WebApplicationFactory<Program> server, string clientAddress)
    {
        var client = server.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return client;
    }

    private sealed class LoopbackConnections : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
