using System.Net.Http.Json;
using Keepsake.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Keepsake.Tests.Infrastructure;

/// <summary>Clients that behave like the browser app: cookies kept, antiforgery header on every write.</summary>
public static class BrowserClients
{
    public static HttpClient CreateBrowserClient(this WebApplicationFactory<Program> server) =>
        server.CreateDefaultClient(new AntiforgeryHandler(), new CookieContainerHandler());

    /// <summary>The same client for a server listening on a real port.</summary>
    public static HttpClient CreateBrowserClient(Uri baseAddress) => CreateBrowserClient(baseAddress, new System.Net.CookieContainer());

    /// <summary>A client with the given cookie jar. Clients given one jar act as one browser behind a load
    /// balancer: the jar sends 127.0.0.1's cookies to every port.</summary>
    public static HttpClient CreateBrowserClient(Uri baseAddress, System.Net.CookieContainer cookies) =>
        new(new AntiforgeryHandler { InnerHandler = new HttpClientHandler { CookieContainer = cookies } }) { BaseAddress = baseAddress };

    /// <summary>Runs first-run setup and returns the owner's signed-in client.</summary>
    public static async Task<HttpClient> SetUpOwnerAsync(this WebApplicationFactory<Program> server, string email = "owner@example.com")
    {
        var client = server.CreateBrowserClient();
        await (await client.PostAsJsonAsync("/api/setup", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return client;
    }

    /// <summary>Fetches a fresh antiforgery token before each write, as the web app does after signing in.</summary>
    internal sealed class AntiforgeryHandler : DelegatingHandler
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
