using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Accounts;

public sealed class UserAdministrationTests
{
    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in()
    {
        using var app = new KeepsakeApp();
        var admin = await app.CreateOwnerAsync();

        var response = await admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(" member@example.com ", KeepsakeApp.DefaultPassword, false));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadAsync<UserDto>();
        Assert.Equal("member@example.com", created.Email);
        Assert.False(created.IsAdmin);
        var users = await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        Assert.Equal(["owner@example.com", "member@example.com"], users.Select(u => u.Email));
        var member = await app.LoginAsync("member@example.com");
        Assert.Equal(created.Id, (await (await member.GetAsync("/api/auth/me")).ReadAsync<UserDto>()).Id);
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_may_neither_list_nor_create_users()
    {
        using var app = new KeepsakeApp();
        var admin = await app.CreateOwnerAsync();
        var member = await app.CreateUserAsync(admin, "member@example.com");

        var list = await member.GetAsync("/api/admin/users");
        var create = await member.PostAsJsonAsync("/api/admin/users", new CreateUserDto("sneaky@example.com", KeepsakeApp.DefaultPassword, true));

        await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        await create.AssertProblemAsync(HttpStatusCode.Forbidden);
        var users = await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        Assert.DoesNotContain(users, u => u.Email == "sneaky@example.com");
    }

    [Fact]
    public async Task An_admin_created_by_an_admin_may_create_users_too()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var second = await app.CreateUserAsync(owner, "second-admin@example.com", isAdmin: true);

        var response = await second.PostAsJsonAsync("/api/admin/users", new CreateUserDto("third@example.com", KeepsakeApp.DefaultPassword, false));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("member@example.com")]
    [InlineData("MEMBER@Example.com")]
    public async Task An_e_mail_that_is_already_in_use_is_a_conflict(string email)
    {
        using var app = new KeepsakeApp();
        var admin = await app.CreateOwnerAsync();
        await app.CreateUserAsync(admin, "member@example.com");

        var response = await admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, "another long password", false));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("E-mail in use", problem.Title);
        await app.LoginAsync("member@example.com");
        Assert.Equal(2, (await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>()).Count);
    }

    [Theory]
    [InlineData("", KeepsakeApp.DefaultPassword)]
    [InlineData("not-an-e-mail", KeepsakeApp.DefaultPassword)]
    [InlineData("Someone <someone@example.com>", KeepsakeApp.DefaultPassword)]
    [InlineData("someone@example.com", "")]
    [InlineData("someone@example.com", "123456789")]
    public async Task An_invalid_e_mail_or_a_short_password_is_refused(string email, string password)
    {
        using var app = new KeepsakeApp();
        var admin = await app.CreateOwnerAsync();

        var response = await admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, password, false));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>());
    }

    [Fact]
    public async Task A_new_user_without_a_password_is_refused()
    {
        using var app = new KeepsakeApp();
        var admin = await app.CreateOwnerAsync();

        var response = await admin.PostAsync("/api/admin/users", new StringContent("{\"email\":\"someone@example.com\"}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(await (await admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>());
    }
}
