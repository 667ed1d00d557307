using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.Extensions.DependencyInjection;
using static Keepsake.Tests.Privacy.PrivacyTestKit;

namespace Keepsake.Tests.Privacy;

/// <summary>Erasure through its three doors (admin API, "delete my account", <c>keepsake user erase</c>) on the embedded stack,
/// or the scale stack with <c>KEEPSAKE_TEST_STACK=scale</c>.</summary>
public sealed class UserErasureTests
{
    [Fact]
    public async Task Erasing_a_user_removes_every_row_file_share_link_and_cache_entry_of_theirs_and_leaves_the_other_user_byte_for_byte()
    {
        using var app = new KeepsakeApp();
        var (owner, friend) = await CreateTwoLibrariesAsync(app);
        var friendSession = await app.LoginAsync(FriendEmail);
        Assert.NotEmpty(await RowsOfAsync(app, friend));
        Assert.Equal(2 * PhotoTestKit.FilesPerPhoto, app.StoredFiles().Count(friend.IsMentionedIn));
        if (KeepsakeApp.OnScaleStack)
        {
            Assert.Contains(CachedShareLinkKeys(app), k => k.EndsWith(CacheKeyOf(friend.Share.Token), StringComparison.Ordinal));
        }
        var ownerView = await ViewAsync(app, owner);
        var otherRows = (await AllRowsAsync(app)).Where(r => !friend.IsMentionedIn(r)).ToList();
        var otherFiles = (await StoredFilesWithHashesAsync(app)).Where(f => !friend.IsMentionedIn(f.Key)).ToList();

        var admin = await app.LoginAsync(OwnerEmail);
        var erased = await admin.DeleteAsync($"/api/admin/users/{friend.Id}");

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.Empty(await RowsOfAsync(app, friend));
        Assert.DoesNotContain(app.StoredFiles(), k => friend.IsMentionedIn(k) && !k.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
        Assert.DoesNotContain(CachedShareLinkKeys(app), k => k.EndsWith(CacheKeyOf(friend.Share.Token), StringComparison.Ordinal));
        await (await app.CreateUserClient().GetAsync($"/api/s/{friend.Share.Token}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await friendSession.GetAsync("/api/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(FriendEmail, KeepsakeApp.DefaultPassword)))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        // The ledger holds the id and the time, nothing that names the person.
        var ledger = Encoding.UTF8.GetString(await app.ReadStoredFileAsync(Assert.Single(app.StoredFiles(), k => k.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal))));
        Assert.Contains(friend.Id.ToString(), ledger, StringComparison.Ordinal);
        Assert.DoesNotContain("friend", ledger, StringComparison.OrdinalIgnoreCase);
        // The owner is untouched: every row and file byte for byte, and what the API shows.
        Assert.Equal(otherRows, await AllRowsAsync(app));
        Assert.Equal(otherFiles, (await StoredFilesWithHashesAsync(app)).Where(f => !f.Key.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal)).ToList());
        Assert.Equal(ownerView, await ViewAsync(app, owner));
    }

    [Fact]
    public async Task Albums_hold_only_their_owners_photos_so_no_other_users_album_holds_an_erased_users_photo()
    {
        using var app = new KeepsakeApp();
        var (owner, friend) = await CreateTwoLibrariesAsync(app);
        var admin = await app.LoginAsync(OwnerEmail);

        var added = await admin.PostAsJsonAsync($"/api/albums/{owner.Album.Id}/photos", new AlbumPhotosDto([friend.Photos[0].Id]));

        await added.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(owner.Photos.Select(p => p.Id).Order(), (await admin.GetPageAsync($"/api/albums/{owner.Album.Id}/photos")).Items.Select(p => p.Id).Order());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/users/{friend.Id}")).StatusCode);
        Assert.Equal(owner.Photos.Count, (await admin.GetAlbumAsync(owner.Album.Id)).PhotoCount);
    }

    [Theory]
    [InlineData(ErasureStep.Ledger)]
    [InlineData(ErasureStep.Sessions)]
    [InlineData(ErasureStep.DeviceKeys)]
    [InlineData(ErasureStep.ShareLinks)]
    [InlineData(ErasureStep.Albums)]
    [InlineData(ErasureStep.PhotoRows)]
    [InlineData(ErasureStep.PhotoFiles)]
    [InlineData(ErasureStep.CacheEntries)]
    public async Task An_erasure_interrupted_after_a_step_finishes_when_run_again_and_fsck_is_clean(ErasureStep lastDone)
    {
        using var app = new KeepsakeApp();
        var (owner, friend) = await CreateTwoLibrariesAsync(app);
        var ownerView = await ViewAsync(app, owner);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var erasure = scope.ServiceProvider.GetRequiredService<UserErasure>();
            erasure.AfterStep = step => step == lastDone ? throw new OperationCanceledException("the process died here") : Task.CompletedTask;
            await Assert.ThrowsAsync<OperationCanceledException>(() => erasure.EraseAccountAsync(friend.Id, CancellationToken.None));
        }
        Assert.NotEmpty(await RowsOfAsync(app, friend));
        Assert.Single(app.StoredFiles(), k => k.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));

        var again = await CliRunner.RunAsync(app, $"user erase {FriendEmail} --yes");

        Assert.True(again.ExitCode == 0, Describe(again));
        Assert.Equal($"erased user {friend.Id}", again.Output.Trim());
        Assert.Empty(await RowsOfAsync(app, friend));
        Assert.DoesNotContain(app.StoredFiles(), k => friend.IsMentionedIn(k) && !k.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
        Assert.Single(app.StoredFiles(), k => k.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
        await (await app.CreateUserClient().GetAsync($"/api/s/{friend.Share.Token}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var fsck = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        Assert.True(fsck.ExitCode == 0, Describe(fsck));
        Assert.Contains($"checked {owner.Photos.Count} photos", fsck.Output, StringComparison.Ordinal);
        Assert.Equal(ownerView, await ViewAsync(app, owner));
    }

    [Fact]
    public async Task Delete_my_account_with_the_password_erases_the_account_and_ends_the_session()
    {
        using var app = new KeepsakeApp();
        var (_, friend) = await CreateTwoLibrariesAsync(app);
        var session = await app.LoginAsync(FriendEmail);

        var response = await session.PostAsJsonAsync("/api/me/erase", new EraseAccountDto(KeepsakeApp.DefaultPassword));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await RowsOfAsync(app, friend));
        Assert.DoesNotContain(app.StoredFiles(), k => friend.IsMentionedIn(k) && !k.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
        await (await session.GetAsync("/api/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Delete_my_account_with_a_wrong_password_is_forbidden_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        await CreateTwoLibrariesAsync(app);
        var session = await app.LoginAsync(FriendEmail);
        var before = await EverythingAsync(app);

        var response = await session.PostAsJsonAsync("/api/me/erase", new EraseAccountDto("not my password"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("not deleted", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await EverythingAsync(app));
        await (await session.GetAsync("/api/photos")).EnsureSuccessAsync();
    }

    [Fact]
    public async Task Erase_without_yes_is_refused_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        await CreateTwoLibrariesAsync(app);
        var before = await EverythingAsync(app);

        var refused = await CliRunner.RunAsync(app, $"user erase {FriendEmail}");

        Assert.True(refused.ExitCode == 2, Describe(refused));
        Assert.Contains("add --yes", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, await EverythingAsync(app));
    }

    [Fact]
    public async Task Erase_of_an_unknown_email_fails_with_a_clear_message_and_changes_nothing()
    {
        using var app = new KeepsakeApp();
        await CreateTwoLibrariesAsync(app);
        var before = await EverythingAsync(app);

        var unknown = await CliRunner.RunAsync(app, "user erase nobody@example.com --yes");

        Assert.True(unknown.ExitCode == 1, Describe(unknown));
        Assert.Equal("error: there is no user with the e-mail address nobody@example.com; nothing was erased.", unknown.Error.Trim());
        Assert.Equal(before, await EverythingAsync(app));
    }

    [Fact]
    public async Task The_last_admin_cannot_be_erased_through_any_door_and_nothing_changes()
    {
        using var app = new KeepsakeApp();
        var (owner, _) = await CreateTwoLibrariesAsync(app);
        var admin = await app.LoginAsync(OwnerEmail);
        var before = await EverythingAsync(app);

        var cli = await CliRunner.RunAsync(app, $"user erase {OwnerEmail} --yes");
        var self = await admin.PostAsJsonAsync("/api/me/erase", new EraseAccountDto(KeepsakeApp.DefaultPassword));
        var byAdminApi = await admin.DeleteAsync($"/api/admin/users/{owner.Id}");

        Assert.True(cli.ExitCode == 1, Describe(cli));
        Assert.Contains("only admin", cli.Error, StringComparison.Ordinal);
        Assert.Contains("Make another user an admin", (await self.AssertProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        Assert.Contains("your own account", (await byAdminApi.AssertProblemAsync(HttpStatusCode.BadRequest)).Title, StringComparison.Ordinal);
        Assert.Equal(before, await EverythingAsync(app));
        await (await admin.GetAsync("/api/photos")).EnsureSuccessAsync();
    }

    [Fact]
    public async Task Only_admins_erase_other_users_and_an_unknown_id_is_not_found()
    {
        using var app = new KeepsakeApp();
        var (owner, _) = await CreateTwoLibrariesAsync(app);
        var friendSession = await app.LoginAsync(FriendEmail);
        var admin = await app.LoginAsync(OwnerEmail);
        var before = await EverythingAsync(app);

        await (await friendSession.DeleteAsync($"/api/admin/users/{owner.Id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.DeleteAsync($"/api/admin/users/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(before, await EverythingAsync(app));
    }

    [Fact]
    public async Task A_corrupt_erasure_ledger_entry_keeps_the_server_from_being_ready_and_names_the_entry()
    {
        using var app = new KeepsakeApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
        const string key = ErasureLedger.Prefix + "20261123T120000000000Z-0123456789abcdef0123456789abcdef.json";

        await app.WriteStoredFileAsync(key, "{\"userId\":"u8.ToArray());

        using var ready = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var report = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var check = report.RootElement.GetProperty("checks").GetProperty("erasure-ledger");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains(key, check.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Every row and every stored file with its bytes' hash: equal before and after means nothing changed.</summary>
    private static async Task<string> EverythingAsync(KeepsakeApp app) =>
        string.Join("\n", await AllRowsAsync(app)) + "\n" + string.Join("\n", (await StoredFilesWithHashesAsync(app)).Select(f => $"{f.Key} {f.Value}"));
}
