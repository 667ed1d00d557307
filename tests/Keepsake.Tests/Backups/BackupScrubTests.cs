using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keepsake.Accounts;
using Keepsake.Backups;
using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Accounts;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Backups;

/// <summary>
/// <c>keepsake backup scrub</c>: an erased user leaves every backup, not only the live database. On the embedded
/// stack (or on the scale stack with <c>KEEPSAKE_TEST_STACK=scale</c>).
/// </summary>
public sealed class BackupScrubTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Describe(CliResult result) => BackupTestKit.Describe(result);

    [Fact]
    public async Task A_backup_scrubbed_after_an_erasure_holds_neither_the_email_nor_the_id_verifies_and_restores_everyone_else()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var owner = await app.LoginAsync(library.OwnerEmail);
        var ownerTimeline = SignedUrls.WithoutSignatures(JsonSerializer.Serialize(await owner.GetPageAsync("/api/photos"), Json));
        var ownerAlbums = SignedUrls.WithoutSignatures(JsonSerializer.Serialize(await owner.ListAlbumsAsync(), Json));
        // Words only the friend wrote, kept in the photo's row and in the search index (on SQLite, in FTS5's segments).
        var friend = await app.LoginAsync(library.FriendEmail);
        await (await friend.PutAsJsonAsync($"/api/photos/{library.Photos[2].Id}/description", new PhotoDescriptionDto(FriendsWords))).EnsureSuccessAsync();
        // A device key of the friend's: a row of theirs in a table of its own.
        await friend.CreateKeyAsync("upload", FriendsPhone);
        var before = await BackupTestKit.CreateBackupAsync(app);
        var original = await BackupTestKit.ReadManifestAsync(app, before);
        Assert.Contains(library.FriendEmail, await DumpTextAsync(app, before), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(FriendsWordsTail, await DumpTextAsync(app, before), StringComparison.Ordinal);
        Assert.Contains(FriendsPhone, await DumpTextAsync(app, before), StringComparison.Ordinal);
        Assert.Contains("  clean  ", Line(await ListAsync(app), before), StringComparison.Ordinal);

        var erasure = await BackupTestKit.EraseUserAsync(app, library.FriendId, DateTimeOffset.UtcNow);
        var after = await BackupTestKit.CreateBackupAsync(app);

        var awaiting = await ListAsync(app);
        Assert.Contains("awaits scrub", Line(awaiting, before), StringComparison.Ordinal);
        Assert.DoesNotContain("awaits scrub", Line(awaiting, after), StringComparison.Ordinal);

        var scrub = await CliRunner.RunAsync(app, "backup scrub");

        Assert.True(scrub.ExitCode == 0, Describe(scrub));
        Assert.Equal([$"scrubbed {before}: erased users removed, verified", "scrubbed 1, already clean 0, failed 0"], scrub.Lines);
        foreach (var id in app.StoredBackups())
        {
            var text = await DumpTextAsync(app, id);
            foreach (var form in PersonalForms(library.FriendEmail, library.FriendId))
            {
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"backup {id} still holds '{form}'");
            }
            Assert.False(text.Contains(FriendsWordsTail, StringComparison.Ordinal), $"backup {id} still holds the friend's description");
            Assert.False(text.Contains(FriendsPhone, StringComparison.Ordinal), $"backup {id} still holds the friend's device key");
            Assert.Contains(library.OwnerEmail, text, StringComparison.OrdinalIgnoreCase);
            var verify = await CliRunner.RunAsync(app, $"backup verify {id}");
            Assert.True(verify.ExitCode == 0, Describe(verify));
        }
        var scrubbed = await BackupTestKit.ReadManifestAsync(app, before);
        Assert.Equal((original.Id, original.CreatedAt, original.Reason), (scrubbed.Id, scrubbed.CreatedAt, scrubbed.Reason));
        Assert.NotEqual(original.Sha256, scrubbed.Sha256);
        Assert.Equal(original.RowCounts["AspNetUsers"] - 1, scrubbed.RowCounts["AspNetUsers"]);
        Assert.Equal(original.RowCounts["photos"] - 1, scrubbed.RowCounts["photos"]);
        Assert.Equal(original.RowCounts["device_keys"] - 1, scrubbed.RowCounts["device_keys"]);
        Assert.Equal(erasure.Position, scrubbed.ScrubbedThrough);
        Assert.NotNull(scrubbed.ScrubbedAt);
        Assert.Equal([$"backups/{before}/manifest.json", $"backups/{before}/{scrubbed.File}", $"backups/{before}/verification.json"],
            app.StoredFiles().Where(k => k.StartsWith($"backups/{before}/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var listed = await ListAsync(app);
        Assert.DoesNotContain("awaits scrub", listed.Output, StringComparison.Ordinal);
        Assert.Contains("  scrubbed  ", Line(listed, before), StringComparison.Ordinal);

        // A new machine restores the scrubbed backup: the owner's library is all there, the friend is not.
        using var replacement = new KeepsakeApp(app.StorageSettings);
        var restore = await CliRunner.RunAsync(replacement, $"backup restore {before}");
        Assert.True(restore.ExitCode == 0, Describe(restore));
        var restoredOwner = await replacement.LoginAsync(library.OwnerEmail);
        Assert.Equal(ownerTimeline, SignedUrls.WithoutSignatures(JsonSerializer.Serialize(await restoredOwner.GetPageAsync("/api/photos"), Json)));
        Assert.Equal(ownerAlbums, SignedUrls.WithoutSignatures(JsonSerializer.Serialize(await restoredOwner.ListAlbumsAsync(), Json)));
        Assert.Equal(HttpStatusCode.OK, (await replacement.CreateUserClient().GetAsync($"/api/s/{library.Share.Token}")).StatusCode);
        var users = await (await restoredOwner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        Assert.Equal([library.OwnerEmail], users.Select(u => u.Email));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await replacement.CreateUserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto(library.FriendEmail, KeepsakeApp.DefaultPassword))).StatusCode);
    }

    [Fact]
    public async Task Status_fails_once_an_erasure_older_than_ScrubWithin_is_still_in_a_backup_and_passes_after_the_scrub()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var id = await BackupTestKit.CreateBackupAsync(app);
        Assert.Equal(0, (await CliRunner.RunAsync(app, "backup verify latest")).ExitCode);
        await BackupTestKit.EraseUserAsync(app, library.FriendId, DateTimeOffset.UtcNow.AddHours(-2));
        var halfHour = new Dictionary<string, string?>(app.Environment) { ["KEEPSAKE_Backups__ScrubWithin"] = "00:30:00" };

        var within = await CliRunner.RunAsync(app, "backup status");
        Assert.True(within.ExitCode == 0, Describe(within));
        Assert.Equal("awaiting scrub: 1 backup(s), oldest erasure 2h ago", within.Lines[^1]);

        var overdue = await CliRunner.RunAsync(halfHour, "backup status");
        Assert.True(overdue.ExitCode == 1, Describe(overdue));
        Assert.Equal("awaiting scrub: 1 backup(s), oldest erasure 2h ago (OVERDUE)", overdue.Lines[^1]);
        Assert.DoesNotContain("STALE", overdue.Output, StringComparison.Ordinal);

        var scrub = await CliRunner.RunAsync(app, "backup scrub");
        Assert.True(scrub.ExitCode == 0, Describe(scrub));
        Assert.Contains($"scrubbed {id}", scrub.Output, StringComparison.Ordinal);

        var done = await CliRunner.RunAsync(halfHour, "backup status");
        Assert.True(done.ExitCode == 0, Describe(done));
        Assert.Equal(2, done.Lines.Count);
        Assert.DoesNotContain("awaiting scrub", done.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scrub_interrupted_after_storing_the_new_dump_leaves_every_backup_verifiable_and_a_rerun_finishes_it()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var id = await BackupTestKit.CreateBackupAsync(app);
        await BackupTestKit.EraseUserAsync(app, library.FriendId, DateTimeOffset.UtcNow);
        var manifestKey = $"backups/{id}/manifest.json";
        var manifest = await app.ReadStoredFileAsync(manifestKey);

        using (var crashing = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(ManifestWritesFail)))
        {
            await Assert.ThrowsAsync<IOException>(() => crashing.Services.GetRequiredService<BackupService>().ScrubAsync(null, CancellationToken.None));
        }

        // What the crash left: the scrubbed dump stored, the manifest still naming the old one.
        var leftovers = app.StoredFiles().Where(k => k.StartsWith($"backups/{id}/", StringComparison.Ordinal)).ToList();
        Assert.Contains(leftovers, k => k.Contains("/scrubbed-", StringComparison.Ordinal));
        Assert.Equal(manifest, await app.ReadStoredFileAsync(manifestKey));
        var verify = await CliRunner.RunAsync(app, $"backup verify {id}");
        Assert.True(verify.ExitCode == 0, Describe(verify));
        Assert.Contains("awaits scrub", Line(await ListAsync(app), id), StringComparison.Ordinal);

        var rerun = await CliRunner.RunAsync(app, "backup scrub");

        Assert.True(rerun.ExitCode == 0, Describe(rerun));
        Assert.Contains($"scrubbed {id}", rerun.Output, StringComparison.Ordinal);
        var scrubbed = await BackupTestKit.ReadManifestAsync(app, id);
        Assert.Equal([manifestKey, $"backups/{id}/{scrubbed.File}", $"backups/{id}/verification.json"],
            app.StoredFiles().Where(k => k.StartsWith($"backups/{id}/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(library.FriendEmail, await DumpTextAsync(app, id), StringComparison.OrdinalIgnoreCase);
        var again = await CliRunner.RunAsync(app, $"backup verify {id}");
        Assert.True(again.ExitCode == 0, Describe(again));
    }

    [Fact]
    public async Task A_scrub_with_nothing_to_do_changes_no_backup()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        await BackupTestKit.CreateBackupAsync(app);
        var untouched = await BackupBlobsAsync(app);

        var noErasure = await CliRunner.RunAsync(app, "backup scrub");
        Assert.True(noErasure.ExitCode == 0, Describe(noErasure));
        Assert.Equal(["scrubbed 0, already clean 0, failed 0"], noErasure.Lines);
        Assert.Equal(untouched, await BackupBlobsAsync(app));

        await BackupTestKit.EraseUserAsync(app, library.FriendId, DateTimeOffset.UtcNow);
        await BackupTestKit.CreateBackupAsync(app);
        var first = await CliRunner.RunAsync(app, "backup scrub");
        Assert.True(first.ExitCode == 0, Describe(first));
        Assert.Equal("scrubbed 1, already clean 0, failed 0", first.Lines[^1]);
        var scrubbed = await BackupBlobsAsync(app);

        var again = await CliRunner.RunAsync(app, "backup scrub");

        Assert.True(again.ExitCode == 0, Describe(again));
        Assert.Equal(["scrubbed 0, already clean 0, failed 0"], again.Lines);
        Assert.Equal(scrubbed, await BackupBlobsAsync(app));
    }

    [Fact]
    public async Task A_backup_from_before_scrubbing_existed_that_holds_no_erased_user_is_marked_clean_without_a_rewrite()
    {
        using var app = new KeepsakeApp();
        var library = await BackupTestKit.CreateLibraryAsync(app);
        await BackupTestKit.EraseUserAsync(app, library.FriendId, DateTimeOffset.UtcNow);
        var id = await BackupTestKit.CreateBackupAsync(app);
        // A manifest as written before scrubbing existed: no ledger position, so it cannot claim to be clean.
        var manifestKey = $"backups/{id}/manifest.json";
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await app.ReadStoredFileAsync(manifestKey), Json)!;
        Assert.True(fields.Remove("scrubbedThrough"));
        Assert.True(fields.Remove("scrubbedAt"));
        await app.WriteStoredFileAsync(manifestKey, JsonSerializer.SerializeToUtf8Bytes(fields, Json));
        var dump = (await BackupTestKit.ReadManifestAsync(app, id)).File;
        var dumpBytes = await app.ReadStoredFileAsync($"backups/{id}/{dump}");
        Assert.Contains("awaits scrub", Line(await ListAsync(app), id), StringComparison.Ordinal);

        var scrub = await CliRunner.RunAsync(app, "backup scrub");

        Assert.True(scrub.ExitCode == 0, Describe(scrub));
        Assert.Equal([$"checked {id}: held no erased user, left as it was", "scrubbed 0, already clean 1, failed 0"], scrub.Lines);
        var manifest = await BackupTestKit.ReadManifestAsync(app, id);
        Assert.Equal(dump, manifest.File);
        Assert.Null(manifest.ScrubbedAt);
        Assert.NotNull(manifest.ScrubbedThrough);
        Assert.Equal(dumpBytes, await app.ReadStoredFileAsync($"backups/{id}/{dump}"));
        Assert.DoesNotContain("awaits scrub", (await ListAsync(app)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_embedded_server_scrubs_by_itself_at_its_next_scheduled_run_after_an_erasure()
    {
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Backups:Schedule:Enabled"] = "true" });
        var library = await BackupTestKit.CreateLibraryAsync(app);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = app.WithClock(clock);
        var backups = server.Services.GetRequiredService<BackupService>();
        var id = (await backups.CreateAsync(BackupReasons.Manual, null, CancellationToken.None)).Id;
        await BackupTestKit.EraseUserAsync(app, library.FriendId, clock.GetUtcNow());
        Assert.Contains("awaits scrub", Line(await ListAsync(app), id), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromHours(1));

        // Settled once the old dump is gone and the new one verified; only keys are looked at until then, as a
        // manifest being rewritten may not be readable on every store.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (app.StoredFiles().Where(k => k.StartsWith($"backups/{id}/", StringComparison.Ordinal)).Select(k => k[$"backups/{id}/".Length..]).ToList() is var files
            && !(files.Any(f => f.StartsWith("scrubbed-", StringComparison.Ordinal)) && files.Contains("verification.json") && !files.Any(f => f.StartsWith("database.", StringComparison.Ordinal))))
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the scheduled scrub");
            await Task.Delay(200);
        }
        Assert.NotNull((await BackupTestKit.ReadManifestAsync(app, id)).ScrubbedAt);
        Assert.DoesNotContain(library.FriendEmail, await DumpTextAsync(app, id), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("awaits scrub", (await ListAsync(app)).Output, StringComparison.Ordinal);
    }

    private const string FriendsWords = "Quokkaselfie by the lake";

    /// <summary>A part of the friend's word that the search index keeps whole whatever it shares a prefix with.</summary>
    private const string FriendsWordsTail = "kaselfie";

    private const string FriendsPhone = "Quokkaphone";

    /// <summary>Every way the database may write down the user: the e-mail as typed and normalized, the id as text and as bytes.</summary>
    private static IEnumerable<string> PersonalForms(string email, Guid id) =>
    [
        email, email.ToUpperInvariant(),
        id.ToString("D"), id.ToString("D").ToUpperInvariant(), id.ToString("N"), id.ToString("N").ToUpperInvariant(),
        Latin1(id.ToByteArray()), Latin1(id.ToByteArray(bigEndian: true)),
    ];

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>
    /// A backup's dump as searchable text (Latin-1, so every byte is one character): the SQLite file ungzipped; for
    /// PostgreSQL both the custom-format file and its data as plain SQL (the format compresses table data).
    /// </summary>
    private static async Task<string> DumpTextAsync(KeepsakeApp app, string id)
    {
        var manifest = await BackupTestKit.ReadManifestAsync(app, id);
        var bytes = await app.ReadStoredFileAsync($"backups/{id}/{manifest.File}");
        if (manifest.Provider == "sqlite")
        {
            await using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain);
            return Latin1(plain.ToArray());
        }
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, manifest.File);
        await File.WriteAllBytesAsync(file, bytes);
        var pgRestore = await PostgresTools.FindAsync("pg_restore", 0, null, CancellationToken.None);
        var sql = await ExternalProcess.RunAsync(pgRestore, ["--file=-", file], new Dictionary<string, string>(), CancellationToken.None);
        Assert.True(sql.ExitCode == 0, sql.Error);
        Assert.Contains("COPY public.photos", sql.Output, StringComparison.Ordinal);
        return Latin1(bytes) + "\n" + sql.Output;
    }

    private static async Task<CliResult> ListAsync(KeepsakeApp app)
    {
        var list = await CliRunner.RunAsync(app, "backup list");
        Assert.True(list.ExitCode == 0, Describe(list));
        return list;
    }

    private static string Line(CliResult list, string id) => Assert.Single(list.Lines, l => l.StartsWith(id, StringComparison.Ordinal));

    /// <summary>Every blob under <c>backups/</c> with its SHA-256.</summary>
    private static async Task<IReadOnlyList<string>> BackupBlobsAsync(KeepsakeApp app)
    {
        var blobs = new List<string>();
        foreach (var key in app.StoredFiles().Where(k => k.StartsWith("backups/", StringComparison.Ordinal) && !k.EndsWith("/verification.json", StringComparison.Ordinal)))
        {
            blobs.Add($"{key} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await app.ReadStoredFileAsync(key)))}");
        }
        return blobs;
    }

    /// <summary>The process dies (as far as the scrub can tell) when it goes to write a backup's manifest.</summary>
    private static void ManifestWritesFail(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IBlobStore));
        services.AddSingleton<IBlobStore>(provider => new CrashBeforeManifest((IBlobStore)original.ImplementationFactory!(provider)));
    }

    private sealed class CrashBeforeManifest(IBlobStore inner) : IBlobStore
    {
        public Task WriteAsync(string key, Stream content, CancellationToken cancellationToken) =>
            key.StartsWith("backups/", StringComparison.Ordinal) && key.EndsWith("/manifest.json", StringComparison.Ordinal)
                ? throw new IOException("the process was killed before the manifest was written")
                : inner.WriteAsync(key, content, cancellationToken);

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => inner.ExistsAsync(key, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

        public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
    }
}
