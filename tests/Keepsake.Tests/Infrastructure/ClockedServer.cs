using System.Net.Http.Json;
using Keepsake.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A <see cref="KeepsakeApp"/> whose clock the test sets (for link expiry), with the same browser-like
/// clients: cookies kept, antiforgery header on every write.
/// </summary>
public static class ClockedServer
{
    public static WebApplicationFactory<Program> WithClock(this KeepsakeApp app, TimeProvider clock) =>
        app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(clock)));

    public static HttpClient CreateBrowserClient(this WebApplicationFactory<Program> server) =>
        server.CreateDefaultClient(new AntiforgeryHandler(), new CookieContainerHandler());

    public static async Task<HttpClient> SetUpOwnerAsync(this WebApplicationFactory<Program> server, string email = "owner@example.com")
    {
        var client = server.CreateBrowserClient();
        await (await client.PostAsJsonAsync("/api/setup", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return client;
    }

    private sealed class AntiforgeryHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && !request.Headers.Contains("X-XSRF-TOKEN"))
            {
                using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri!, "/api/antiforgery"));
                var tokenResponse = await base.SendAsync(tokenRequest, cancellationToken);
                var token = await tokenResponse.Content.ReadFromJsonAsync<AntiforgeryTokenDto>(cancellationToken);
                request.Headers.Add(token!.HeaderName, token.Token);
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
