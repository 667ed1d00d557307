using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Security;

/// <summary>
/// The data-protection keys that sign session cookies are stored in the database sealed with a key-encryption key
/// that is not in the database, so a stolen database backup cannot forge a session. These run on the embedded
/// default, where the key is a file beside the database made on first start, so they run once, in the embedded run.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
public sealed class SessionKeyTests
{
    private static KeepsakeApp EmbeddedApp(bool premigrated = true) =>
        new(new Dictionary<string, string?> { ["Database:Provider"] = DatabaseOptions.Sqlite, ["Storage:Provider"] = "filesystem" }, premigrated);

    [Fact]
    public async Task A_database_backup_holds_no_session_key_in_the_clear()
    {
        using var app = EmbeddedApp();
        using var owner = await app.CreateOwnerAsync();

        var keys = await StoredKeysAsync(app.DatabasePath);

        var key = Assert.Single(keys);
        Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted", key, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
        var keyFile = Path.Combine(app.Folder.Path, "keepsake.kek");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.DoesNotContain(File.ReadAllText(keyFile).Trim(), key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_on_a_new_machine_with_the_same_key_keeps_sessions_and_with_another_key_everybody_signs_in_again()
    {
        var browser = new CookieContainer();
        using var original = EmbeddedApp();
        await using (var server = await ServerProcess.StartAsync(original))
        {
            using var owner = server.CreateBrowserClient(browser);
            await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        }

        using var sameKey = RestoredCopyOf(original, withKeyFile: true);
        await using (var server = await ServerProcess.StartAsync(sameKey))
        {
            using var owner = server.CreateBrowserClient(browser);
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/auth/me")).StatusCode);
        }

        using var otherKey = RestoredCopyOf(original, withKeyFile: false);
        await using (var server = await ServerProcess.StartAsync(otherKey))
        {
            using var owner = server.CreateBrowserClient(browser);
            Assert.Equal(HttpStatusCode.Unauthorized, (await owner.GetAsync("/api/auth/me")).StatusCode);
            await (await owner.PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/auth/me")).StatusCode);
            Assert.Contains(server.Lines, l => l.Contains("sealed with another key-encryption key", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Keys_an_earlier_release_stored_in_the_clear_are_sealed_at_start_and_stay_the_keys_in_use()
    {
        using var app = EmbeddedApp();
        var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(options, $"Data Source={app.DatabasePath}");
        await using (var db = new SqliteKeepsakeDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }
        // What the earlier release did: data protection on the database with no key encryption.
        var earlier = new ServiceCollection();
        earlier.AddLogging();
        earlier.AddDbContext<SqliteKeepsakeDbContext>(o => DataExtensions.ConfigureSqlite(o, $"Data Source={app.DatabasePath}"));
        earlier.AddDataProtection().SetApplicationName("keepsake").PersistKeysToDbContext<SqliteKeepsakeDbContext>();
        Guid clearKeyId;
        await using (var services = earlier.BuildServiceProvider())
        {
            var now = DateTimeOffset.UtcNow;
            clearKeyId = services.GetRequiredService<IKeyManager>().CreateNewKey(now.AddMinutes(-1), now.AddDays(90)).KeyId;
        }
        Assert.Contains("<value>", Assert.Single(await StoredKeysAsync(app.DatabasePath)), StringComparison.Ordinal);

        await using var server = await ServerProcess.StartAsync(app);
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/auth/me")).StatusCode);
        var key = Assert.Single(await StoredKeysAsync(app.DatabasePath));
        Assert.Contains(clearKeyId.ToString(), key, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
        Assert.Contains(server.Lines, l => l.Contains("Sealed 1 session key(s)", StringComparison.Ordinal));
    }

    /// <summary>Another machine given the original's database file (as a restore does), with or without its key file.</summary>
    private static KeepsakeApp RestoredCopyOf(KeepsakeApp original, bool withKeyFile)
    {
        var copy = EmbeddedApp(premigrated: false);
        foreach (var suffix in new[] { "", "-wal" })
        {
            if (File.Exists(original.DatabasePath + suffix))
            {
                File.Copy(original.DatabasePath + suffix, copy.DatabasePath + suffix);
            }
        }
        if (withKeyFile)
        {
            File.Copy(Path.Combine(original.Folder.Path, "keepsake.kek"), Path.Combine(copy.Folder.Path, "keepsake.kek"));
        }
        return copy;
    }

    private static async Task<List<string>> StoredKeysAsync(string databasePath)
    {
        var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(options, $"Data Source={databasePath};Pooling=False");
        await using var db = new SqliteKeepsakeDbContext(options.Options);
        return await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync();
    }
}
