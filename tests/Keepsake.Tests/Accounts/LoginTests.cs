using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Accounts;

public sealed class LoginTests
{
    [Theory]
    [InlineData("owner@example.com", "wrong password!")]
    [InlineData("nobody@example.com", KeepsakeApp.DefaultPassword)]
    public async Task A_wrong_password_or_unknown_e_mail_gets_the_same_unauthorized_problem(string email, string password)
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();
        var client = app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, password));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Login failed", problem.Title);
        await (await client.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_signed_in_user_sees_who_they_are()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        await app.CreateUserAsync(owner, "member@example.com");

        var member = await app.LoginAsync("MEMBER@example.com");
        var me = await (await member.GetAsync("/api/auth/me")).ReadAsync<UserDto>();

        Assert.Equal("member@example.com", me.Email);
        Assert.False(me.IsAdmin);
    }

    [Fact]
    public async Task Anonymous_callers_are_not_signed_in()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();

        var response = await app.CreateUserClient().GetAsync("/api/auth/me");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Not signed in", problem.Title);
    }

    [Fact]
    public async Task After_logout_the_client_is_no_longer_signed_in()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        await (await owner.GetAsync("/api/auth/me")).EnsureSuccessAsync();

        var response = await owner.PostAsync("/api/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await owner.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await owner.GetAsync("/api/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Failed_logins_are_rate_limited_and_the_next_attempt_waits_even_with_the_right_password()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Accounts:FailedLoginLimit"] = "3" });
        await app.CreateOwnerAsync();
        var client = app.CreateUserClient();
        for (var i = 0; i < 3; i++)
        {
            var failed = await client.PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", $"guess number {i}"));
            await failed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var response = await client.PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword));

        var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many failed attempts", problem.Title);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter > TimeSpan.Zero, $"Retry-After: {retryAfter}");
        await (await client.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Successful_logins_do_not_count_towards_the_limit()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Accounts:FailedLoginLimit"] = "3" });
        await app.CreateOwnerAsync();

        for (var i = 0; i < 5; i++)
        {
            var client = await app.LoginAsync("owner@example.com");
            await (await client.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"email\":\"owner@example.com\"}")]
    [InlineData("{\"password\":\"correct horse battery\"}")]
    public async Task A_login_without_an_e_mail_or_password_is_a_failed_login(string json)
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();
        var client = app.CreateUserClient();

        var response = await client.PostAsync("/api/auth/login", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Login failed", problem.Title);
    }
}
