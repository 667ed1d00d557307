using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Accounts;

public sealed class SetupTests
{
    [Fact]
    public async Task Setup_is_needed_until_the_owner_exists_and_signs_the_owner_in_as_admin()
    {
        using var app = new KeepsakeApp();
        var client = app.CreateUserClient();

        var before = await (await client.GetAsync("/api/setup")).ReadAsync<SetupStatusDto>();
        var created = await client.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword));
        var after = await (await client.GetAsync("/api/setup")).ReadAsync<SetupStatusDto>();

        Assert.True(before.Needed);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(after.Needed);
        var me = await (await client.GetAsync("/api/auth/me")).ReadAsync<UserDto>();
        Assert.Equal("owner@example.com", me.Email);
        Assert.True(me.IsAdmin);
    }

    [Fact]
    public async Task A_second_setup_is_refused_with_conflict_and_creates_no_account()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var response = await app.CreateUserClient().PostAsJsonAsync("/api/setup", new CredentialsDto("intruder@example.com", KeepsakeApp.DefaultPassword));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Already set up", problem.Title);
        var users = await (await owner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        Assert.Equal(["owner@example.com"], users.Select(u => u.Email));
        await (await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto("intruder@example.com", KeepsakeApp.DefaultPassword)))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("not an e-mail", KeepsakeApp.DefaultPassword)]
    [InlineData("owner@example.com", "short")]
    public async Task A_setup_with_a_bad_e_mail_or_short_password_is_refused_and_setup_stays_open(string email, string password)
    {
        using var app = new KeepsakeApp();
        var client = app.CreateUserClient();

        var response = await client.PostAsJsonAsync("/api/setup", new CredentialsDto(email, password));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await (await client.GetAsync("/api/setup")).ReadAsync<SetupStatusDto>()).Needed);
    }

    [Fact]
    public async Task A_setup_without_a_password_is_refused_and_setup_stays_open()
    {
        using var app = new KeepsakeApp();
        var client = app.CreateUserClient();

        var response = await client.PostAsync("/api/setup", new StringContent("{\"email\":\"owner@example.com\"}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await (await client.GetAsync("/api/setup")).ReadAsync<SetupStatusDto>()).Needed);
    }
}
