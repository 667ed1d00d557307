using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>
/// Behind a TLS-terminating nginx, as behind Traefik on k3s or an nginx Ingress: the server trusts the forwarded
/// headers of a proxy it knows (loopback by default) and nobody else's. Each client connects from a loopback
/// address of its own, so the proxy forwards real, different client addresses.
/// </summary>
public sealed class ProxyAndCookieTests(ProxyAndCookieTests.Servers servers) : IClassFixture<ProxyAndCookieTests.Servers>
{
    private const int FreeFailures = 3;

    public sealed class Servers : IAsyncLifetime
    {
        // A first wait long enough that a busy machine's TLS handshakes never outlast it between two attempts.
        private static readonly Dictionary<string, string?> Throttle = new()
        {
            ["Accounts:FailedLoginLimit"] = FreeFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Accounts:FailedLoginFirstDelay"] = "00:02:00",
        };

        /// <summary>A server that trusts its proxy (loopback, the default).</summary>
        public Behind Trusting { get; private set; } = null!;

        /// <summary>A server that trusts only a cluster's pod network, so the nginx on loopback in front of it is a stranger.</summary>
        public Behind Distrusting { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var started = await Task.WhenAll(
                Behind.StartAsync(Throttle),
                Behind.StartAsync(new Dictionary<string, string?>(Throttle) { ["Network:KnownNetworks"] = "10.42.0.0/16" }));
            (Trusting, Distrusting) = (started[0], started[1]);
        }

        public async Task DisposeAsync()
        {
            await Trusting.DisposeAsync();
            await Distrusting.DisposeAsync();
        }
    }

    public sealed class Behind(KeepsakeApp app, ServerProcess server, NginxReverseProxy proxy, HttpClient owner) : IAsyncDisposable
    {
        public ServerProcess Server => server;

        public NginxReverseProxy Proxy => proxy;

        public static async Task<Behind> StartAsync(IDictionary<string, string?> settings)
        {
            var app = new KeepsakeApp(settings);
            var server = await ServerProcess.StartAsync(app);
            var proxy = await NginxReverseProxy.StartAsync(server.PublicAddress, tls: true);
            var owner = proxy.CreateClient("127.0.0.2");
            await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
            return new Behind(app, server, proxy, owner);
        }

        public async Task<string> CreateUserAsync(string email)
        {
            await (await owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, false))).EnsureSuccessAsync();
            return email;
        }

        public async ValueTask DisposeAsync()
        {
            owner.Dispose();
            await proxy.DisposeAsync();
            await server.DisposeAsync();
            app.Dispose();
        }
    }

    [Fact]
    public async Task Behind_a_tls_proxy_the_session_cookie_is_secure_and_host_prefixed()
    {
        var behind = servers.Trusting;
        var email = await behind.CreateUserAsync("cookie@example.com");
        var browser = behind.Proxy.CreateClient("127.0.0.11");

        var login = await browser.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword));

        await login.EnsureSuccessAsync();
        var cookie = SessionCookie(login);
        Assert.StartsWith("__Host-keepsake.auth=", cookie, StringComparison.Ordinal);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        await (await browser.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await browser.PostAsync("/api/auth/logout", null)).EnsureSuccessAsync();
        await (await browser.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        // Straight to the server over plain http, the same login gets the plain cookie: no secure name to ask for.
        var direct = await behind.Server.CreateBrowserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword));
        Assert.StartsWith("keepsake.auth=", SessionCookie(direct), StringComparison.Ordinal);
        Assert.DoesNotContain("; secure", SessionCookie(direct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_login_throttle_counts_the_client_behind_the_proxy_not_the_proxy()
    {
        var behind = servers.Trusting;
        var email = await behind.CreateUserAsync("victim@example.com");
        var attacker = behind.Proxy.CreateClient("127.0.0.21");
        // A client's own X-Forwarded-For is only an entry nginx appends to: the server takes nginx's, the last one.
        attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.0.22");
        for (var i = 0; i < FreeFailures; i++)
        {
            await (await attacker.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, $"guess {i}"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var attackerAgain = await attacker.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword));
        var victim = await behind.Proxy.CreateClient("127.0.0.22").PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword));

        await attackerAgain.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        await victim.EnsureSuccessAsync();
        // The log names the attacker's address too, never the proxy's alone.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!behind.Server.Lines.Any(l => l.Contains("Refused a password attempt from 127.0.0.21", StringComparison.Ordinal)) && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }
        Assert.Contains(behind.Server.Lines, l => l.Contains("Refused a password attempt from 127.0.0.21", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forwarded_header_from_an_unknown_address_is_ignored()
    {
        var behind = servers.Distrusting;
        var email = await behind.CreateUserAsync("stranger@example.com");

        var login = await behind.Proxy.CreateClient("127.0.0.31").PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword));

        // nginx said https and the client's address, but nginx is not a proxy this server knows.
        await login.EnsureSuccessAsync();
        Assert.StartsWith("keepsake.auth=", SessionCookie(login), StringComparison.Ordinal);
        Assert.DoesNotContain("; secure", SessionCookie(login), StringComparison.OrdinalIgnoreCase);
        for (var i = 0; i < FreeFailures; i++)
        {
            var guesser = behind.Proxy.CreateClient($"127.0.0.{40 + i}");
            await (await guesser.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, $"guess {i}"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }
        // Every client is the proxy to this server: three addresses' failures count as one client's.
        var fromAFourthAddress = await behind.Proxy.CreateClient("127.0.0.50").PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword));
        await fromAFourthAddress.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    private static string SessionCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.Contains("keepsake.auth=", StringComparison.Ordinal));
}
