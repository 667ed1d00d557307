using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Accounts;

/// <summary>Device keys: made once, kept as a hash, listed, revoked, refused when wrong, and gone with their user.</summary>
public sealed class DeviceKeyTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task A_new_key_is_shown_once_and_the_database_keeps_only_its_hash()
    {
        var session = await shared.NewUserAsync();

        var created = await session.CreateKeyAsync("full", "  Anna's phone  ");

        Assert.StartsWith("ks_", created.Key, StringComparison.Ordinal);
        Assert.Equal("Anna's phone", created.Name);
        var listed = await (await session.GetAsync("/api/auth/keys")).Content.ReadAsStringAsync();
        Assert.Contains(created.Id.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, listed, StringComparison.Ordinal);
        // ks_, 32 hex digits of the id, _, then the secret (base64url, which may hold '_' itself).
        var secret = created.Key[("ks_".Length + 32 + 1)..];
        var rows = await DeviceKeyRowsAsync(created.Id);
        var row = Assert.Single(rows);
        Assert.DoesNotContain(created.Key, row, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, row, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), row, StringComparison.Ordinal);
        await using var scope = shared.App.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().DeviceKeys.SingleAsync(k => k.Id == created.Id);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key)), stored.SecretHash);
    }

    [Fact]
    public async Task A_bearer_key_signs_requests_in_without_a_cookie_or_an_antiforgery_token()
    {
        var (_, device, _) = await DeviceKeyTestKit.UserWithKeyAsync(shared, "full");

        var uploaded = await KeepsakeApp.UploadPhotoAsync(device, TestData.Photo("no-exif-casio.jpg"));
        var album = await device.PostAsJsonAsync("/api/albums", new AlbumNameDto("From the phone"));

        Assert.Equal(HttpStatusCode.Created, album.StatusCode);
        Assert.Contains((await device.GetPageAsync("/api/photos")).Items, p => p.Id == uploaded.Id);
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync($"/api/photos/{uploaded.Id}/original")).StatusCode);
    }

    [Fact]
    public async Task A_session_write_still_needs_the_antiforgery_token()
    {
        var session = await shared.NewUserAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/keys") { Content = JsonContent.Create(new CreateDeviceKeyDto("Phone", "full")) };
        request.Headers.Add("X-XSRF-TOKEN", "not a token");

        var response = await session.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await session.ListKeysAsync());
    }

    [Fact]
    public async Task A_read_key_reads_but_cannot_upload_or_delete()
    {
        var (session, device, _) = await DeviceKeyTestKit.UserWithKeyAsync(shared, "read");
        var photo = await KeepsakeApp.UploadPhotoAsync(session, TestData.Photo("no-exif-casio.jpg"));

        var upload = await KeepsakeApp.UploadAsync(device, TestData.Photo("alpha.png"));
        var delete = await device.DeleteAsync($"/api/photos/{photo.Id}");

        Assert.Contains("read", (await upload.AssertProblemAsync(HttpStatusCode.Forbidden)).Detail, StringComparison.Ordinal);
        await delete.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([photo.Id], (await device.GetPageAsync("/api/photos")).Items.Select(p => p.Id));
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync($"/api/photos/{photo.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_upload_key_uploads_and_checks_what_exists_but_cannot_list_read_or_delete()
    {
        var (session, device, _) = await DeviceKeyTestKit.UserWithKeyAsync(shared, "upload");
        var other = await shared.NewUserAsync();
        var othersPhoto = await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("gps-apple-iphone4.jpg"));

        var uploaded = await KeepsakeApp.UploadPhotoAsync(device, TestData.Photo("no-exif-casio.jpg"));
        var exists = await device.PostAsJsonAsync("/api/photos/exists", new PhotoExistenceDto([Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(TestData.Photo("no-exif-casio.jpg"))))]));

        Assert.Empty((await exists.ReadAsync<MissingPhotosDto>()).Missing);
        Assert.Contains("upload", (await (await device.GetAsync("/api/photos")).AssertProblemAsync(HttpStatusCode.Forbidden)).Detail, StringComparison.Ordinal);
        await (await device.GetAsync($"/api/photos/{uploaded.Id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await device.GetAsync($"/api/photos/{othersPhoto.Id}/original")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await device.DeleteAsync($"/api/photos/{uploaded.Id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await device.PostAsJsonAsync("/api/albums", new AlbumNameDto("Not mine to make"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([uploaded.Id], (await session.GetPageAsync("/api/photos")).Items.Select(p => p.Id));
    }

    [Fact]
    public async Task A_full_key_cannot_make_keys_change_the_password_erase_the_account_or_act_as_admin()
    {
        var admin = await shared.NewUserAsync(shared.NewEmail("admin"), isAdmin: true);
        var key = await admin.CreateKeyAsync("full");
        var device = shared.Server.BearerClient(key.Key);

        var refused = new[]
        {
            await device.PostAsJsonAsync("/api/auth/keys", new CreateDeviceKeyDto("Another", "full")),
            await device.GetAsync("/api/auth/keys"),
            await device.DeleteAsync($"/api/auth/keys/{key.Id}"),
            await device.PostAsJsonAsync("/api/auth/password", new ChangePasswordDto(KeepsakeApp.DefaultPassword, "a stolen new passphrase")),
            await device.PostAsJsonAsync("/api/me/erase", new EraseAccountDto(KeepsakeApp.DefaultPassword)),
            await device.GetAsync("/api/admin/users"),
        };

        foreach (var response in refused)
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        Assert.Single(await admin.ListKeysAsync());
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var (session, device, key) = await DeviceKeyTestKit.UserWithKeyAsync(shared, "full");
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/photos")).StatusCode);

        var revoked = await session.DeleteAsync($"/api/auth/keys/{key.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var refused = await device.GetAsync("/api/photos");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
        Assert.Empty(await session.ListKeysAsync());
        Assert.Empty(await DeviceKeyRowsAsync(key.Id));
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("altered")]
    [InlineData("malformed")]
    [InlineData("empty")]
    public async Task An_unknown_altered_or_malformed_key_gets_401_even_beside_a_valid_session(string kind)
    {
        var (session, _, key) = await DeviceKeyTestKit.UserWithKeyAsync(shared, "full");
        var presented = kind switch
        {
            "unknown" => DeviceKeySecrets.NewKey(Guid.CreateVersion7()),
            "altered" => key.Key[..^2] + (key.Key[^2] == 'A' ? "B" : "A") + key.Key[^1],
            "malformed" => "ks_not-a-key",
            _ => "",
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/photos");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {presented}");

        var response = await session.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_another_users_key_is_not_found_and_leaves_it_working()
    {
        var (_, device, key) = await DeviceKeyTestKit.UserWithKeyAsync(shared, "read");
        var other = await shared.NewUserAsync();

        var revoked = await other.DeleteAsync($"/api/auth/keys/{key.Id}");

        await revoked.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/photos")).StatusCode);
        Assert.Empty(await other.ListKeysAsync());
    }

    [Fact]
    public async Task The_list_shows_when_each_key_was_last_used()
    {
        var session = await shared.NewUserAsync();
        var used = await session.CreateKeyAsync("read", "Tablet");
        var unused = await session.CreateKeyAsync("upload", "Old phone");

        await (await shared.Server.BearerClient(used.Key).GetAsync("/api/photos")).EnsureSuccessAsync();

        var keys = await session.ListKeysAsync();
        Assert.Equal(["Old phone", "Tablet"], keys.Select(k => k.Name));
        var tablet = keys.Single(k => k.Id == used.Id);
        Assert.Equal("read", tablet.Scope);
        Assert.NotNull(tablet.LastUsedAt);
        Assert.InRange(tablet.LastUsedAt.Value, tablet.CreatedAt, DateTime.UtcNow.AddSeconds(1));
        Assert.Null(keys.Single(k => k.Id == unused.Id).LastUsedAt);
    }

    [Theory]
    [InlineData("", "full", "name")]
    [InlineData("   ", "full", "name")]
    [InlineData("long", "full", "name")]
    [InlineData("Phone", "admin", "scope")]
    [InlineData("Phone", null, "scope")]
    public async Task A_key_needs_a_name_and_one_of_the_known_scopes(string name, string? scope, string field)
    {
        var session = await shared.NewUserAsync();

        var response = await session.PostAsJsonAsync("/api/auth/keys", new CreateDeviceKeyDto(name == "long" ? new string('n', DeviceKey.MaxNameLength + 1) : name, scope));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = ((System.Text.Json.JsonElement)problem.Extensions["errors"]!).GetProperty(field).ToString();
        Assert.Contains(field == "scope" ? "full, upload, read" : "1 to 100", errors, StringComparison.Ordinal);
        Assert.Empty(await session.ListKeysAsync());
    }

    [Fact]
    public async Task A_user_holds_at_most_fifty_keys_and_revoking_one_makes_room()
    {
        var session = await shared.NewUserAsync();
        for (var i = 0; i < DeviceKeysApi.MaxKeysPerUser; i++)
        {
            await session.CreateKeyAsync("upload", $"Phone {i}");
        }

        var refused = await session.PostAsJsonAsync("/api/auth/keys", new CreateDeviceKeyDto("One too many", "upload"));

        Assert.Contains("revoke one", (await refused.AssertProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        var keys = await session.ListKeysAsync();
        Assert.Equal(DeviceKeysApi.MaxKeysPerUser, keys.Count);
        await (await session.DeleteAsync($"/api/auth/keys/{keys[^1].Id}")).EnsureSuccessAsync();
        Assert.Equal("One more", (await session.CreateKeyAsync("read", "One more")).Name);
    }

    [Fact]
    public async Task Keys_asked_for_all_at_once_past_the_limit_make_exactly_the_limit()
    {
        var session = await shared.NewUserAsync();
        var asked = DeviceKeysApi.MaxKeysPerUser + 10;

        var responses = await Task.WhenAll(Enumerable.Range(0, asked)
            .Select(i => session.PostAsJsonAsync("/api/auth/keys", new CreateDeviceKeyDto($"Phone {i}", "upload"))));

        Assert.Equal(DeviceKeysApi.MaxKeysPerUser, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(asked - DeviceKeysApi.MaxKeysPerUser, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var keys = await (await session.GetAsync("/api/auth/keys")).ReadAsync<List<DeviceKeyDto>>();
        Assert.Equal(DeviceKeysApi.MaxKeysPerUser, keys.Count);
    }

    [Fact]
    public async Task The_export_lists_the_keys_by_name_scope_and_use_without_the_key_or_its_hash()
    {
        var session = await shared.NewUserAsync();
        var key = await session.CreateKeyAsync("upload", "Anna's phone");

        var zip = await (await session.GetAsync("/api/me/export")).Content.ReadAsByteArrayAsync();

        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry(UserExport.MetadataFile)!.Open());
        var text = await reader.ReadToEndAsync();
        var listed = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("deviceKeys").EnumerateArray());
        Assert.Equal(key.Id, listed.GetProperty("id").GetGuid());
        Assert.Equal("Anna's phone", listed.GetProperty("name").GetString());
        Assert.Equal("upload", listed.GetProperty("scope").GetString());
        Assert.DoesNotContain(key.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(DeviceKeySecrets.Hash(key.Key)), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_users_keys_are_refused_and_an_erased_users_keys_are_gone()
    {
        var email = shared.NewEmail("leaver");
        var session = await shared.NewUserAsync(email);
        var userId = await session.MyIdAsync();
        var key = await session.CreateKeyAsync("full");
        var device = shared.Server.BearerClient(key.Key);

        await (await shared.Admin.PutAsJsonAsync($"/api/admin/users/{userId}", new UpdateUserDto(null, true))).EnsureSuccessAsync();
        await (await device.GetAsync("/api/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await shared.Admin.PutAsJsonAsync($"/api/admin/users/{userId}", new UpdateUserDto(null, false))).EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.OK, (await device.GetAsync("/api/photos")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await shared.Admin.DeleteAsync($"/api/admin/users/{userId}")).StatusCode);

        await (await device.GetAsync("/api/photos")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await DeviceKeyRowsAsync(key.Id));
        Assert.Empty(await DeviceKeyRowsAsync(userId));
    }

    /// <summary>The rows of the device_keys table, as text, that mention the id (of a key or of its owner).</summary>
    private async Task<List<string>> DeviceKeyRowsAsync(Guid id) =>
        [.. (await PrivacyTestKit.AllRowsAsync(shared.App)).Where(r => r.StartsWith("device_keys:", StringComparison.Ordinal) && PrivacyTestKit.Mentions(r, id))];
}
