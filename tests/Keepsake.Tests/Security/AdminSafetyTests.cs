using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>
/// Keepsake always keeps an enabled admin, and sessions can be ended at once: by the user on every device, by an
/// admin for a user, and by demoting or disabling a user. Every test has an app of its own: who is the last admin
/// depends on every account there is.
/// </summary>
public sealed class AdminSafetyTests
{
    [Fact]
    public async Task The_last_admin_cannot_be_demoted_or_disabled()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var ownerId = (await (await owner.GetAsync("/api/auth/me")).ReadAsync<UserDto>()).Id;
        var second = await CreateUserAsync(owner, "second-admin@example.com", isAdmin: true);
        await (await owner.PutAsJsonAsync($"/api/admin/users/{second.Id}", new UpdateUserDto(null, true))).EnsureSuccessAsync();

        foreach (var change in new[] { new UpdateUserDto(false, null), new UpdateUserDto(null, true), new UpdateUserDto(false, true) })
        {
            var problem = await (await owner.PutAsJsonAsync($"/api/admin/users/{ownerId}", change)).AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("Last admin", problem.Title);
        }
        await (await owner.PostAsJsonAsync("/api/me/erase", new { password = KeepsakeApp.DefaultPassword })).AssertProblemAsync(HttpStatusCode.Conflict);

        var me = await (await owner.GetAsync("/api/auth/me")).ReadAsync<UserDto>();
        Assert.True(me.IsAdmin);
        Assert.False(me.Disabled);
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_one_admin()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        for (var round = 0; round < 3; round++)
        {
            var first = await CreateUserAsync(owner, $"first{round}@example.com", isAdmin: true);
            var second = await CreateUserAsync(owner, $"second{round}@example.com", isAdmin: true);
            var firstClient = await app.LoginAsync(first.Email);
            var secondClient = await app.LoginAsync(second.Email);
            // The owner steps down, so the two are the only admins.
            var ownerId = (await (await owner.GetAsync("/api/auth/me")).ReadAsync<UserDto>()).Id;
            await (await firstClient.PutAsJsonAsync($"/api/admin/users/{ownerId}", new UpdateUserDto(false, null))).EnsureSuccessAsync();

            var answers = await Task.WhenAll(
                firstClient.PutAsJsonAsync($"/api/admin/users/{second.Id}", new UpdateUserDto(false, null)),
                secondClient.PutAsJsonAsync($"/api/admin/users/{first.Id}", new UpdateUserDto(false, null)));

            // The loser is refused by the last-admin rule, or, when the winner's change landed before it was even
            // authenticated, as a demoted admin whose session ended.
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Unauthorized);
            var admin = answers[0].IsSuccessStatusCode ? await app.LoginAsync(first.Email) : await app.LoginAsync(second.Email);
            var users = await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
            Assert.Single(users, u => u.IsAdmin && !u.Disabled);
            // The remaining admin hands the role back to the owner for the next round.
            await (await admin.PutAsJsonAsync($"/api/admin/users/{ownerId}", new UpdateUserDto(true, null))).EnsureSuccessAsync();
            owner = await app.LoginAsync("owner@example.com");
            await (await owner.DeleteAsync($"/api/admin/users/{first.Id}")).EnsureSuccessAsync();
            await (await owner.DeleteAsync($"/api/admin/users/{second.Id}")).EnsureSuccessAsync();
        }
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_their_sessions_end_until_enabled()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var member = await CreateUserAsync(owner, "disabled@example.com");
        var session = await app.LoginAsync(member.Email);

        var disabled = await (await owner.PutAsJsonAsync($"/api/admin/users/{member.Id}", new UpdateUserDto(null, true))).ReadAsync<UserDto>();

        Assert.True(disabled.Disabled);
        await (await session.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var login = await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(member.Email, KeepsakeApp.DefaultPassword));
        Assert.Equal("Login failed", (await login.AssertProblemAsync(HttpStatusCode.Unauthorized)).Title);

        await (await owner.PutAsJsonAsync($"/api/admin/users/{member.Id}", new UpdateUserDto(null, false))).EnsureSuccessAsync();
        await (await (await app.LoginAsync(member.Email)).GetAsync("/api/auth/me")).EnsureSuccessAsync();
    }

    [Fact]
    public async Task A_demoted_admin_loses_the_admin_rights_at_once()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var helper = await CreateUserAsync(owner, "helper@example.com", isAdmin: true);
        var session = await app.LoginAsync(helper.Email);
        await (await session.GetAsync("/api/admin/users")).EnsureSuccessAsync();

        await (await owner.PutAsJsonAsync($"/api/admin/users/{helper.Id}", new UpdateUserDto(false, null))).EnsureSuccessAsync();

        await (await session.GetAsync("/api/admin/users")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var again = await app.LoginAsync(helper.Email);
        await (await again.GetAsync("/api/admin/users")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await again.PutAsJsonAsync($"/api/admin/users/{helper.Id}", new UpdateUserDto(true, null))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var member = await CreateUserAsync(owner, "everywhere@example.com");
        var phone = await app.LoginAsync(member.Email);
        var laptop = await app.LoginAsync(member.Email);

        var response = await phone.PostAsync("/api/auth/logout-everywhere", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await phone.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await laptop.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await owner.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await (await app.LoginAsync(member.Email)).GetAsync("/api/auth/me")).EnsureSuccessAsync();
    }

    [Fact]
    public async Task An_admin_signs_a_user_out_everywhere_and_a_member_cannot()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var member = await CreateUserAsync(owner, "signed-out@example.com");
        var other = await CreateUserAsync(owner, "other@example.com");
        var session = await app.LoginAsync(member.Email);
        var otherSession = await app.LoginAsync(other.Email);

        await (await otherSession.PostAsync($"/api/admin/users/{member.Id}/sign-out", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await session.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        var response = await owner.PostAsync($"/api/admin/users/{member.Id}/sign-out", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await session.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await otherSession.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await owner.PostAsync($"/api/admin/users/{Guid.NewGuid()}/sign-out", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_admin_resets_a_lost_password_which_ends_the_users_sessions_and_only_the_new_one_signs_in()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var member = await CreateUserAsync(owner, "forgetful@example.com");
        var other = await CreateUserAsync(owner, "other@example.com");
        var session = await app.LoginAsync(member.Email);
        var otherSession = await app.LoginAsync(other.Email);
        const string NewPassword = "a new passphrase for you";

        await (await otherSession.PostAsJsonAsync($"/api/admin/users/{member.Id}/password", new ResetPasswordDto(NewPassword)))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        var response = await owner.PostAsJsonAsync($"/api/admin/users/{member.Id}/password", new ResetPasswordDto(NewPassword));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await session.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var oldLogin = await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(member.Email, KeepsakeApp.DefaultPassword));
        await oldLogin.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await (await app.LoginAsync(member.Email, NewPassword)).GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await otherSession.GetAsync("/api/auth/me")).EnsureSuccessAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public async Task A_password_the_rules_refuse_is_a_clear_problem_and_the_old_one_still_works(string password)
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var member = await CreateUserAsync(owner, "kept@example.com");
        var session = await app.LoginAsync(member.Email);

        var response = await owner.PostAsJsonAsync($"/api/admin/users/{member.Id}/password", new ResetPasswordDto(password));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        await (await session.GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await (await app.LoginAsync(member.Email)).GetAsync("/api/auth/me")).EnsureSuccessAsync();
        await (await owner.PostAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/password", new ResetPasswordDto("a perfectly good passphrase")))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<UserDto> CreateUserAsync(HttpClient admin, string email, bool isAdmin = false) =>
        await (await admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, isAdmin))).ReadAsync<UserDto>();
}
