using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Keepsake.Accounts;
using Keepsake.Backups;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Privacy;

namespace Keepsake.Tests.Backups;

/// <summary>
/// <c>keepsake backup …</c> run as the real binary against a running server's data, on the embedded stack
/// (or on the scale stack with <c>KEEPSAKE_TEST_STACK=scale</c>).
/// </summary>
public sealed class BackupCommandTests
{
    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    [Fact]
    public async Task A_library_backed_up_and_verified_comes_back_through_the_API_when_restored_into_a_fresh_database()
    {
        using var original = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(original);
        var before = await BackupTestKit.ViewAsync(original, library);
        var id = await BackupTestKit.CreateBackupAsync(original);

        var verify = await CliRunner.RunAsync(original, $"backup verify {id}");
        Assert.True(verify.ExitCode == 0, Describe(verify));
        Assert.Contains($"backup {id} verified", verify.Output, StringComparison.Ordinal);

        // A new machine: an empty database next to the same blob store (photos and backups).
        using var replacement = new KeepsakeApp(original.StorageSettings);
        var restore = await CliRunner.RunAsync(replacement, "backup restore latest");
        Assert.True(restore.ExitCode == 0, Describe(restore));
        Assert.DoesNotContain("safety backup", restore.Output, StringComparison.Ordinal);

        Assert.Equal(before, await BackupTestKit.ViewAsync(replacement, library));
    }

    [Fact]
    public async Task Restore_refuses_without_yes_when_the_database_holds_data_and_with_yes_undoes_every_later_change_after_a_safety_backup()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var before = await BackupTestKit.ViewAsync(app, library);
        var id = await BackupTestKit.CreateBackupAsync(app);
        await BackupTestKit.ChangeLibraryAsync(app, library);
        var changed = await BackupTestKit.ViewAsync(app, library);
        Assert.NotEqual(before, changed);

        var refused = await CliRunner.RunAsync(app, $"backup restore {id}");
        Assert.True(refused.ExitCode == 2, Describe(refused));
        Assert.Contains("--yes", refused.Error, StringComparison.Ordinal);
        Assert.Equal(changed, await BackupTestKit.ViewAsync(app, library));

        var restore = await CliRunner.RunAsync(app, $"backup restore {id} --yes");
        Assert.True(restore.ExitCode == 0, Describe(restore));
        Assert.Equal(before, await BackupTestKit.ViewAsync(app, library));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto("latecomer@example.com", KeepsakeApp.DefaultPassword))).StatusCode);

        // The safety backup holds the changed database: restoring it brings the changes back.
        var safety = restore.Lines.Single(l => l.StartsWith("safety backup", StringComparison.Ordinal)).Split(' ')[^1];
        var list = await CliRunner.RunAsync(app, "backup list");
        Assert.Contains(list.Lines, l => l.StartsWith(safety, StringComparison.Ordinal) && l.Contains(BackupReasons.PreRestore, StringComparison.Ordinal));
        var undo = await CliRunner.RunAsync(app, $"backup restore {safety} --yes");
        Assert.True(undo.ExitCode == 0, Describe(undo));
        Assert.Equal(changed, await BackupTestKit.ViewAsync(app, library));
    }

    [Fact]
    public async Task A_backup_with_one_flipped_byte_fails_verify_with_a_clear_message_and_restore_refuses_it()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var id = await BackupTestKit.CreateBackupAsync(app);
        await BackupTestKit.ChangeLibraryAsync(app, library);
        var changed = await BackupTestKit.ViewAsync(app, library);
        var dump = app.StoredFiles().Single(k => k.StartsWith($"backups/{id}/database.", StringComparison.Ordinal));
        var bytes = await app.ReadStoredFileAsync(dump);
        bytes[bytes.Length / 2] ^= 0x01;
        await app.WriteStoredFileAsync(dump, bytes);

        var verify = await CliRunner.RunAsync(app, $"backup verify {id}");
        Assert.True(verify.ExitCode == 1, Describe(verify));
        Assert.Contains($"backup {id} failed verification: checksum mismatch", verify.Error, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(app, "backup list");
        Assert.Contains(list.Lines, l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains("FAILED", StringComparison.Ordinal));

        var restore = await CliRunner.RunAsync(app, $"backup restore {id} --yes");
        Assert.True(restore.ExitCode == 1, Describe(restore));
        Assert.Contains("checksum mismatch", restore.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", restore.Error, StringComparison.Ordinal);
        Assert.Equal(changed, await BackupTestKit.ViewAsync(app, library));
        Assert.Single(app.StoredBackups());
    }

    [Fact]
    public async Task A_restore_replays_the_erasure_ledger_so_an_erased_user_does_not_come_back()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var id = await BackupTestKit.CreateBackupAsync(app);
        // Written as an erasure writes it, with the database left holding the user, as an older backup would.
        var entry = new ErasureEntry(library.FriendId, DateTimeOffset.UtcNow);
        await app.WriteStoredFileAsync(ErasureLedger.KeyOf(entry), JsonSerializer.SerializeToUtf8Bytes(entry, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        var restore = await CliRunner.RunAsync(app, $"backup restore {id} --yes");

        Assert.True(restore.ExitCode == 0, Describe(restore));
        Assert.Contains("erasures replayed: 1", restore.Output, StringComparison.Ordinal);
        var owner = await app.LoginAsync(library.OwnerEmail);
        var users = await (await owner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        Assert.DoesNotContain(users, u => u.Id == library.FriendId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(library.FriendEmail, KeepsakeApp.DefaultPassword))).StatusCode);
        // The ledger keeps the id, and nothing else of the user; no other blob may.
        Assert.DoesNotContain(app.StoredFiles(), f => f.Contains(library.FriendId.ToString("N"), StringComparison.Ordinal) && !f.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
        // Rows and files went together: fsck finds neither a photo without its files nor a file without its photo.
        var fsck = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        Assert.True(fsck.ExitCode == 0, Describe(fsck));
        Assert.Contains($"checked {library.Photos.Count - 1} photos", fsck.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await owner.GetPageAsync("/api/photos")).Items.Count);
    }

    [Fact]
    public async Task Backup_then_erase_through_the_CLI_then_restore_of_that_backup_keeps_the_erased_user_gone_and_brings_the_rest_back()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var friendPhoto = library.Photos[2];
        var id = await BackupTestKit.CreateBackupAsync(app);
        var erase = await CliRunner.RunAsync(app, $"user erase {library.FriendEmail} --yes");
        Assert.True(erase.ExitCode == 0, Describe(erase));

        var restore = await CliRunner.RunAsync(app, $"backup restore {id} --yes");

        Assert.True(restore.ExitCode == 0, Describe(restore));
        Assert.Contains("erasures replayed: 1", restore.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(library.FriendEmail, KeepsakeApp.DefaultPassword))).StatusCode);
        Assert.DoesNotContain(await PrivacyTestKit.AllRowsAsync(app), row => PrivacyTestKit.Mentions(row, library.FriendId) || PrivacyTestKit.Mentions(row, friendPhoto.Id));
        Assert.DoesNotContain(app.StoredFiles(), f => PrivacyTestKit.Mentions(f, library.FriendId) && !f.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
        // The owner's data is back as it was backed up: photos, album, share link and files.
        var owner = await app.LoginAsync(library.OwnerEmail);
        Assert.DoesNotContain(await (await owner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>(), u => u.Id == library.FriendId);
        Assert.Equal(library.Photos.Take(2).Select(p => p.Id).Order(), (await owner.GetPageAsync("/api/photos")).Items.Select(p => p.Id).Order());
        Assert.Equal(2, (await owner.GetAlbumAsync(library.Album.Id)).PhotoCount);
        await (await app.CreateUserClient().GetAsync($"/api/s/{library.Share.Token}")).EnsureSuccessAsync();
        foreach (var photo in library.Photos.Take(2))
        {
            var original = await owner.GetAsync($"/api/photos/{photo.Id}/original");
            await original.EnsureSuccessAsync();
            Assert.Equal(photo.SizeBytes, (await original.Content.ReadAsByteArrayAsync()).Length);
        }
        var fsck = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        Assert.True(fsck.ExitCode == 0, Describe(fsck));
    }

    [Fact]
    public async Task Status_fails_until_there_is_a_verified_backup_and_again_once_it_is_older_than_the_threshold()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();

        var none = await CliRunner.RunAsync(app, "backup status");
        Assert.True(none.ExitCode == 1, Describe(none));
        Assert.Equal(["newest backup: none (STALE)", "newest verified backup: none (STALE)"], none.Lines);

        var id = await BackupTestKit.CreateBackupAsync(app);
        var unverified = await CliRunner.RunAsync(app, "backup status");
        Assert.True(unverified.ExitCode == 1, Describe(unverified));
        Assert.StartsWith($"newest backup: {id}, ", unverified.Lines[0], StringComparison.Ordinal);
        Assert.Equal("newest verified backup: none (STALE)", unverified.Lines[1]);

        Assert.Equal(0, (await CliRunner.RunAsync(app, "backup verify latest")).ExitCode);
        var fresh = await CliRunner.RunAsync(app, "backup status");
        Assert.True(fresh.ExitCode == 0, Describe(fresh));
        Assert.DoesNotContain("STALE", fresh.Output, StringComparison.Ordinal);

        var strict = new Dictionary<string, string?>(app.Environment) { ["KEEPSAKE_Backups__StaleVerificationAfter"] = "00:00:00.001" };
        var stale = await CliRunner.RunAsync(strict, "backup status");
        Assert.True(stale.ExitCode == 1, Describe(stale));
        Assert.DoesNotContain("STALE", stale.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("(STALE)", stale.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_dry_run_lists_what_retention_lets_go_and_why_and_prune_deletes_exactly_that()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync();
        var now = DateTimeOffset.UtcNow;
        var fortyDaysAgo = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-40), TimeSpan.Zero);
        var monthFourHundredDaysAgo = new DateTimeOffset(new DateTime(now.AddDays(-400).Year, now.AddDays(-400).Month, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.Zero);
        var firstOfMonth = await WriteOldBackupAsync(app, monthFourHundredDaysAgo.AddHours(1));
        var laterThatMonth = await WriteOldBackupAsync(app, monthFourHundredDaysAgo.AddHours(2));
        var firstOfDay = await WriteOldBackupAsync(app, fortyDaysAgo.AddHours(10));
        var laterThatDay = await WriteOldBackupAsync(app, fortyDaysAgo.AddHours(11));
        var recent = await BackupTestKit.CreateBackupAsync(app);

        var dryRun = await CliRunner.RunAsync(app, "backup prune --dry-run");

        Assert.True(dryRun.ExitCode == 0, Describe(dryRun));
        Assert.Equal(3, dryRun.Lines.Count);
        Assert.StartsWith($"would delete {laterThatMonth}:", dryRun.Lines[0], StringComparison.Ordinal);
        Assert.Contains("older than 365 days and not the first of", dryRun.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"would delete {laterThatDay}:", dryRun.Lines[1], StringComparison.Ordinal);
        Assert.Contains("older than 30 days and not the first of", dryRun.Lines[1], StringComparison.Ordinal);
        Assert.Equal("would keep 3, would delete 2", dryRun.Lines[2]);
        Assert.Equal(5, app.StoredBackups().Count);

        var prune = await CliRunner.RunAsync(app, "backup prune");

        Assert.True(prune.ExitCode == 0, Describe(prune));
        Assert.Equal("kept 3, deleted 2", prune.Lines[^1]);
        Assert.Equal(new[] { firstOfMonth, firstOfDay, recent }.Order(StringComparer.Ordinal), app.StoredBackups());
        Assert.Equal("kept 3, deleted 0", (await CliRunner.RunAsync(app, "backup prune")).Lines[^1]);
    }

    /// <summary>A backup from the past: a real backup taken now, its manifest moved back in time (the binary's clock is the system's).</summary>
    private static async Task<string> WriteOldBackupAsync(KeepsakeApp app, DateTimeOffset createdAt)
    {
        var id = await BackupTestKit.CreateBackupAsync(app);
        var manifestKey = $"backups/{id}/manifest.json";
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var manifest = JsonSerializer.Deserialize<BackupManifest>(await app.ReadStoredFileAsync(manifestKey), json)!;
        await app.WriteStoredFileAsync(manifestKey, JsonSerializer.SerializeToUtf8Bytes(manifest with { CreatedAt = createdAt }, json));
        return id;
    }

    [Fact]
    public async Task A_retention_setting_that_contradicts_another_is_refused_with_a_message_naming_it()
    {
        using var app = new KeepsakeApp();
        var environment = new Dictionary<string, string?>(app.Environment) { ["KEEPSAKE_Backups__KeepDailyFor"] = "10.00:00:00" };

        var result = await CliRunner.RunAsync(environment, "backup prune --dry-run");

        Assert.True(result.ExitCode == 2, Describe(result));
        Assert.Contains("Backups:KeepDailyFor (10.00:00:00) cannot be shorter than Backups:KeepAllFor (30.00:00:00)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_taken_while_uploads_are_running_verifies()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();
        var photos = Directory.EnumerateFiles(TestData.PhotosFolder, "orientation-*.jpg").Order(StringComparer.Ordinal).ToList();
        var uploads = Task.Run(async () =>
        {
            var uploaded = 0;
            foreach (var photo in photos)
            {
                await (await KeepsakeApp.UploadAsync(owner, photo)).EnsureSuccessAsync();
                uploaded++;
            }
            return uploaded;
        });

        var id = await BackupTestKit.CreateBackupAsync(app);
        var verify = await CliRunner.RunAsync(app, $"backup verify {id}");

        Assert.Equal(photos.Count, await uploads);
        Assert.True(verify.ExitCode == 0, Describe(verify));
        var manifest = await BackupTestKit.ReadManifestAsync(app, id);
        Assert.InRange(manifest.RowCounts["photos"], 0, photos.Count);
    }
}
