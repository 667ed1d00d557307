using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Cli;

/// <summary><c>keepsake user create|list</c>, run as the real binary.</summary>
public sealed class UserCommandTests
{
    private const string Password = "a long enough password";

    private static async Task<KeepsakeUser?> FindUserAsync(KeepsakeApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(email);
    }

    [Fact]
    public async Task A_user_created_with_the_password_on_stdin_can_log_in()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("owner@example.com");

        var result = await CliRunner.RunAsync(app, "user create new@example.com --password-stdin", Password + "\n");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.StartsWith("created user new@example.com (", result.Lines[^1], StringComparison.Ordinal);
        var client = await app.LoginAsync("new@example.com", Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/photos")).StatusCode);
        var user = await FindUserAsync(app, "new@example.com");
        Assert.False(user!.IsAdmin);
    }

    [Fact]
    public async Task A_password_is_stored_as_a_PBKDF2_hash_of_at_least_100000_rounds()
    {
        using var app = new KeepsakeApp();

        var result = await CliRunner.RunAsync(app, "user create new@example.com --password-stdin", Password + "\n");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        // ASP.NET Core Identity's version 3 format: a marker byte 0x01, then the PRF, the rounds and the salt's
        // length as big-endian 32-bit numbers, then the salt and the subkey.
        var hash = Convert.FromBase64String((await FindUserAsync(app, "new@example.com"))!.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(KeyDerivationPrf.HMACSHA512, (KeyDerivationPrf)BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)) >= 100_000, "fewer than 100,000 rounds");
    }

    [Fact]
    public async Task The_admin_flag_creates_an_admin_who_can_create_users()
    {
        using var app = new KeepsakeApp();

        var created = await CliRunner.RunAsync(app, "user create boss@example.com --admin --password-stdin", Password + "\n");
        var list = await CliRunner.RunAsync(app, "user list");

        Assert.True(created.ExitCode == 0, $"exit {created.ExitCode}\n{created.Output}\n{created.Error}");
        Assert.StartsWith("created admin boss@example.com (", created.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(["boss@example.com", "admin"], Assert.Single(list.Lines).Split('\t')[..2]);
        var boss = await app.LoginAsync("boss@example.com", Password);
        var response = await boss.PostAsJsonAsync("/api/admin/users", new CreateUserDto("member@example.com", KeepsakeApp.DefaultPassword, false));
        await response.EnsureSuccessAsync();
    }

    [Fact]
    public async Task Creating_a_user_whose_address_is_taken_fails_with_a_message()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("owner@example.com");

        var result = await CliRunner.RunAsync(app, "user create owner@example.com --password-stdin", Password + "\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not created", result.Error, StringComparison.Ordinal);
        Assert.Contains("owner@example.com", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        var otherCase = await CliRunner.RunAsync(app, "user create Owner@Example.COM --password-stdin", Password + "\n");
        Assert.True(otherCase.ExitCode != 0, "An address differing only in case is the same address.\n" + otherCase.Output);
        // The owner keeps their password.
        await app.LoginAsync("owner@example.com");
        await Assert.ThrowsAsync<HttpRequestException>(() => app.LoginAsync("owner@example.com", Password));
    }

    [Fact]
    public async Task An_invalid_address_is_refused_and_named()
    {
        using var app = new KeepsakeApp();

        var result = await CliRunner.RunAsync(app, "user create not-an-address --password-stdin", Password + "\n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'not-an-address' is not a valid e-mail address", result.Error, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(app, "user list");
        Assert.Empty(list.Lines);
    }

    [Fact]
    public async Task Without_a_terminal_or_password_stdin_nothing_is_created_and_the_message_points_to_password_stdin()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("owner@example.com");

        var result = await CliRunner.RunAsync(app, "user create new@example.com", Password + "\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--password-stdin", result.Error, StringComparison.Ordinal);
        Assert.Null(await FindUserAsync(app, "new@example.com"));
    }

    [Fact]
    public async Task A_password_shorter_than_the_minimum_is_refused()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("owner@example.com");

        var result = await CliRunner.RunAsync(app, "user create new@example.com --password-stdin", "short\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not created", result.Error, StringComparison.Ordinal);
        Assert.Contains("10", result.Error, StringComparison.Ordinal);
        Assert.Null(await FindUserAsync(app, "new@example.com"));
    }

    [Fact]
    public async Task An_empty_stdin_with_password_stdin_is_refused()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("owner@example.com");

        var result = await CliRunner.RunAsync(app, "user create new@example.com --password-stdin", "");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("standard input holds no password", result.Error, StringComparison.Ordinal);
        Assert.Null(await FindUserAsync(app, "new@example.com"));
    }

    [Fact]
    public async Task Listing_users_prints_one_line_per_user_oldest_first()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync("owner@example.com");
        await app.CreateUserAsync(owner, "second@example.com");
        await app.CreateUserAsync(owner, "third@example.com", isAdmin: true);

        var result = await CliRunner.RunAsync(app, "user list");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Lines.Select(l => l.Split('\t')).ToList();
        Assert.Equal(["owner@example.com", "second@example.com", "third@example.com"], rows.Select(r => r[0]));
        Assert.Equal(["admin", "user", "admin"], rows.Select(r => r[1]));
        Assert.All(rows, r => Assert.Equal(4, r.Length));
        Assert.All(rows, r => Assert.True(Guid.TryParse(r[3], out _), r[3]));
    }
}
