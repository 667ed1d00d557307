using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Security;

/// <summary>
/// Password guessing is slowed per client (an IPv4 address, an IPv6 /64), per client and account, and per share
/// link, with waits that double, never by locking the account. The clients come from many addresses through a
/// proxy on loopback; the clock is the test's.
/// </summary>
public sealed class LoginThrottleTests(LoginThrottleTests.Server server) : IClassFixture<LoginThrottleTests.Server>
{
    private const int FreeFailures = 3;

    public sealed class Server : IAsyncLifetime
    {
        // At full strength the hash is most of a login's work, as on a real server: the timing test compares answers that hide it.
        public KeepsakeApp App { get; } = new(new Dictionary<string, string?> { ["Accounts:FailedLoginLimit"] = FreeFailures.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            FullStrengthPasswordHashing = true,
        };

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        public WebApplicationFactory<Program> Web { get; private set; } = null!;

        public HttpClient Owner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Web = App.WithClock(Clock).BehindLoopbackProxy();
            Owner = await Web.SetUpOwnerAsync();
        }

        public async Task<string> CreateUserAsync(string email)
        {
            await (await Owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, false))).EnsureSuccessAsync();
            return email;
        }

        public Task<HttpResponseMessage> LoginAsync(string from, string email, string password) =>
            Web.CreateClientFrom(from).PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, password));

        public Task DisposeAsync()
        {
            Web.Dispose();
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Forty_wrong_guesses_from_forty_addresses_do_not_lock_the_owner_out()
    {
        var email = await server.CreateUserAsync("forty@example.com");
        for (var i = 1; i <= 40; i++)
        {
            await (await server.LoginAsync($"198.51.100.{i}", email, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var owner = await server.LoginAsync("203.0.113.40", email, KeepsakeApp.DefaultPassword);
        var fromAGuessersAddress = await server.LoginAsync("198.51.100.7", email, KeepsakeApp.DefaultPassword);

        await owner.EnsureSuccessAsync();
        await fromAGuessersAddress.EnsureSuccessAsync();
    }

    [Fact]
    public async Task A_guesser_waits_twice_as_long_after_each_failure_while_the_owner_signs_in_elsewhere()
    {
        var email = await server.CreateUserAsync("doubling@example.com");
        const string guesser = "198.51.100.201";
        for (var i = 0; i < FreeFailures; i++)
        {
            await (await server.LoginAsync(guesser, email, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var waits = new List<TimeSpan>();
        for (var round = 0; round < 3; round++)
        {
            var refused = await server.LoginAsync(guesser, email, KeepsakeApp.DefaultPassword);
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("Too many failed attempts", problem.Title);
            waits.Add(refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("429 without Retry-After"));
            await (await server.LoginAsync("203.0.113.201", email, KeepsakeApp.DefaultPassword)).EnsureSuccessAsync();
            server.Clock.Advance(waits[^1]);
            await (await server.LoginAsync(guesser, email, $"late guess {round}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], waits);
        server.Clock.Advance(TimeSpan.FromSeconds(8));
        await (await server.LoginAsync(guesser, email, KeepsakeApp.DefaultPassword)).EnsureSuccessAsync();
    }

    [Fact]
    public async Task Addresses_in_one_ipv6_64_count_as_one_client()
    {
        var email = await server.CreateUserAsync("ipv6@example.com");
        for (var i = 1; i <= FreeFailures; i++)
        {
            await (await server.LoginAsync($"2001:db8:17:1::{i:x}", email, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var sameNetwork = await server.LoginAsync("2001:db8:17:1:ffff:ffff:ffff:fff0", email, KeepsakeApp.DefaultPassword);
        var otherNetwork = await server.LoginAsync("2001:db8:17:2::1", email, KeepsakeApp.DefaultPassword);

        await sameNetwork.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        await otherNetwork.EnsureSuccessAsync();
    }

    [Fact]
    public async Task A_known_and_an_unknown_email_get_the_same_answer()
    {
        var known = await server.CreateUserAsync("known@example.com");
        var answers = new List<(string Body, HttpStatusCode Status)>();
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            foreach (var (email, times, address) in new[] { (known, knownTimes, $"192.0.2.{i}"), ("unknown@example.com", unknownTimes, $"192.0.2.{100 + i}") })
            {
                var clock = Stopwatch.StartNew();
                var response = await server.LoginAsync(address, email, "not the password");
                times.Add(clock.Elapsed.TotalMilliseconds);
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                body.Remove("traceId");
                answers.Add((body.ToJsonString(), response.StatusCode));
            }
        }

        Assert.Single(answers.Distinct());
        Assert.Equal(HttpStatusCode.Unauthorized, answers[0].Status);
        // The password hash dominates either answer: without the dummy hash an unknown e-mail answers many times faster.
        var (knownMedian, unknownMedian) = (Median(knownTimes), Median(unknownTimes));
        Assert.True(unknownMedian > knownMedian * 0.4 && unknownMedian < knownMedian * 2.5,
            $"median answer: known e-mail {knownMedian:0.0} ms, unknown e-mail {unknownMedian:0.0} ms");
    }

    [Fact]
    public async Task Guessing_a_link_password_from_many_addresses_is_slowed_per_link()
    {
        const string password = "the secret word";
        var album = await server.Owner.CreateAlbumAsync("Guessed");
        var share = await server.Owner.ShareAsync(album.Id, password: password);
        var other = await server.Owner.ShareAsync(album.Id, password: password);
        for (var i = 1; i <= FreeFailures; i++)
        {
            await (await server.Web.CreateClientFrom($"198.51.100.{100 + i}").UnlockAsync(share.Token, $"guess {i}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var fromANewAddress = server.Web.CreateClientFrom("203.0.113.150");
        var refused = await fromANewAddress.UnlockAsync(share.Token, password);

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var wait = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        await (await fromANewAddress.UnlockAsync(other.Token, password)).EnsureSuccessAsync();
        server.Clock.Advance(wait.Value);
        await (await fromANewAddress.UnlockAsync(share.Token, password)).EnsureSuccessAsync();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
