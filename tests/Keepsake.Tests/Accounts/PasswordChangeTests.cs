using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Accounts;

public sealed class PasswordChangeTests
{
    private const string NewPassword = "a much longer new passphrase";

    [Fact]
    public async Task A_wrong_current_password_is_forbidden_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await owner.PostAsJsonAsync("/api/auth/password", new ChangePasswordDto("not my password", NewPassword));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Wrong password", problem.Title);
        await app.LoginAsync("owner@example.com");
        await AssertLoginFailsAsync(app, NewPassword);
    }

    [Fact]
    public async Task A_new_password_that_is_too_short_is_refused_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await owner.PostAsJsonAsync("/api/auth/password", new ChangePasswordDto(KeepsakeApp.DefaultPassword, "short"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("\"password\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.LoginAsync("owner@example.com");
        await AssertLoginFailsAsync(app, "short");
    }

    [Fact]
    public async Task After_a_change_the_old_password_fails_and_the_new_one_works()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await owner.PostAsJsonAsync("/api/auth/password", new ChangePasswordDto(KeepsakeApp.DefaultPassword, NewPassword));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertLoginFailsAsync(app, KeepsakeApp.DefaultPassword);
        var again = await app.LoginAsync("owner@example.com", NewPassword);
        await (await again.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await owner.GetAsync("/api/auth/me")).EnsureSuccessAsync();
    }

    private static async Task AssertLoginFailsAsync(KeepsakeApp app, string password)
    {
        var response = await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", password));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_change_without_the_current_password_is_forbidden_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await owner.PostAsync("/api/auth/password", new StringContent($"{{\"newPassword\":\"{NewPassword}\"}}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        await app.LoginAsync("owner@example.com");
    }

    [Fact]
    public async Task Other_sessions_of_the_user_end_within_half_an_hour_of_a_password_change()
    {
        using var app = new KeepsakeApp();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = app.WithClock(clock);
        var owner = await server.SetUpOwnerAsync();
        var elsewhere = server.CreateBrowserClient();
        await (await elsewhere.PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();

        await (await owner.PostAsJsonAsync("/api/auth/password", new ChangePasswordDto(KeepsakeApp.DefaultPassword, NewPassword))).EnsureSuccessAsync();
        clock.Advance(TimeSpan.FromMinutes(31));

        await (await elsewhere.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await owner.GetAsync("/api/auth/me")).EnsureSuccessAsync();
    }
}
