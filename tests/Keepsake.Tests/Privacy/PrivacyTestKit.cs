using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Accounts;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Keepsake.Tests.Privacy;

/// <summary>One user's library as made through the API: photos, an album holding them, a share link to it and a device key.</summary>
public sealed record UserLibrary(string Email, Guid Id, IReadOnlyList<PhotoDetailsDto> Photos, AlbumDto Album, CreatedShareDto Share, Guid DeviceKeyId)
{
    /// <summary>Every id of the user's things: a row of theirs mentions at least one (an album entry names only the album and the photo).</summary>
    public IReadOnlyList<Guid> Ids => [Id, Album.Id, Share.Id, DeviceKeyId, .. Photos.Select(p => p.Id)];

    /// <summary>Whether a row, a key or a file mentions any of the user's ids.</summary>
    public bool IsMentionedIn(string text) => Ids.Any(id => PrivacyTestKit.Mentions(text, id));
}

/// <summary>Two users with photos, albums and share links, and ways to see everything Keepsake stores.</summary>
public static class PrivacyTestKit
{
    public const string OwnerEmail = "owner@example.com";
    public const string FriendEmail = "friend@example.com";

    public static string Describe(CliResult result) => $"exit {result.ExitCode}\nstdout:\n{result.Output}\nstderr:\n{result.Error}";

    /// <summary>The owner (the only admin) and a friend, each with two photos in an album shared by link and a device key; both links visited once.</summary>
    public static async Task<(UserLibrary Owner, UserLibrary Friend)> CreateTwoLibrariesAsync(KeepsakeApp app)
    {
        var owner = await app.CreateOwnerAsync(OwnerEmail);
        var friend = await app.CreateUserAsync(owner, FriendEmail);
        var users = await (await owner.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();
        var ownerLibrary = await FillAsync(owner, OwnerEmail, users.Single(u => u.Email == OwnerEmail).Id, "gps-apple-iphone4.jpg", "no-exif-casio.jpg");
        var friendLibrary = await FillAsync(friend, FriendEmail, users.Single(u => u.Email == FriendEmail).Id, "orientation-6-portrait.jpg", "alpha.png");
        // A visit puts each link into the cache (Redis on the scale stack).
        var visitor = app.CreateUserClient();
        await (await visitor.GetAsync($"/api/s/{ownerLibrary.Share.Token}")).EnsureSuccessAsync();
        await (await visitor.GetAsync($"/api/s/{friendLibrary.Share.Token}")).EnsureSuccessAsync();
        return (ownerLibrary, friendLibrary);
    }

    private static async Task<UserLibrary> FillAsync(HttpClient client, string email, Guid id, params string[] photos)
    {
        var uploaded = new List<PhotoDetailsDto>();
        foreach (var photo in photos)
        {
            uploaded.Add(await KeepsakeApp.UploadPhotoAsync(client, TestData.Photo(photo)));
        }
        var album = await client.CreateAlbumAsync($"Album of {email}");
        album = await client.AddToAlbumAsync(album.Id, [.. uploaded.Select(p => p.Id)]);
        var share = await client.ShareAsync(album.Id);
        return new UserLibrary(email, id, uploaded, album, share, (await client.CreateKeyAsync("upload", $"Phone of {email}")).Id);
    }

    /// <summary>Every row of every table of the database, each as one line of text (table, then column=value), sorted.</summary>
    public static async Task<List<string>> AllRowsAsync(KeepsakeApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            var tables = await ReadColumnAsync(connection, db.Database.IsSqlite()
                // Tables that store rows: not the search index's FTS5 table and its shadow tables, derived from photo_search.
                ? "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
            Assert.Contains("photos", tables);
            var rows = new List<string>();
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var cells = Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={Text(reader.GetValue(i))}");
                    rows.Add($"{table}: {string.Join("; ", cells)}");
                }
            }
            rows.Sort(StringComparer.Ordinal);
            return rows;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>The rows that mention any id of the user's in any column, in any spelling of it.</summary>
    public static async Task<List<string>> RowsOfAsync(KeepsakeApp app, UserLibrary library) =>
        [.. (await AllRowsAsync(app)).Where(library.IsMentionedIn)];

    public static bool Mentions(string text, Guid id) =>
        text.Contains(id.ToString("D"), StringComparison.OrdinalIgnoreCase) || text.Contains(id.ToString("N"), StringComparison.OrdinalIgnoreCase);

    /// <summary>Every stored blob with the SHA-256 of its bytes.</summary>
    public static async Task<SortedDictionary<string, string>> StoredFilesWithHashesAsync(KeepsakeApp app)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in app.StoredFiles())
        {
            files[key] = Convert.ToHexStringLower(SHA256.HashData(await app.ReadStoredFileAsync(key)));
        }
        return files;
    }

    /// <summary>The cache keys in Redis that hold a share link (none on the embedded stack, which caches links nowhere).</summary>
    public static IReadOnlyList<string> CachedShareLinkKeys(KeepsakeApp app)
    {
        if (!KeepsakeApp.OnScaleStack)
        {
            return [];
        }
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>();
        var prefix = app.Environment["KEEPSAKE_Cache__InstanceName"];
        return [.. redis.GetServers().SelectMany(s => s.Keys(pattern: $"{prefix}share:*")).Select(k => k.ToString())];
    }

    public static string CacheKeyOf(string token) => "share:" + Convert.ToHexStringLower(ShareTokens.Hash(token));

    /// <summary>What the user and an anonymous visitor of their link see, including every file's bytes.</summary>
    public static async Task<string> ViewAsync(KeepsakeApp app, UserLibrary library)
    {
        var client = await app.LoginAsync(library.Email);
        var view = new List<string>
        {
            await TextOfAsync(await client.GetAsync("/api/photos")),
            await TextOfAsync(await client.GetAsync("/api/albums")),
            await TextOfAsync(await client.GetAsync($"/api/albums/{library.Album.Id}/photos")),
            await TextOfAsync(await client.GetAsync($"/api/albums/{library.Album.Id}/shares")),
            await TextOfAsync(await app.CreateUserClient().GetAsync($"/api/s/{library.Share.Token}")),
        };
        foreach (var photo in library.Photos)
        {
            foreach (var variant in new[] { "original", "preview", "thumbnail" })
            {
                using var file = await client.GetAsync($"/api/photos/{photo.Id}/{variant}");
                await file.EnsureSuccessAsync();
                view.Add(Convert.ToHexStringLower(SHA256.HashData(await file.Content.ReadAsByteArrayAsync())));
            }
        }
        return SignedUrls.WithoutSignatures(string.Join("\n", view));
    }

    private static async Task<string> TextOfAsync(HttpResponseMessage response)
    {
        await response.EnsureSuccessAsync();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<List<string>> ReadColumnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "null",
        byte[] bytes => Convert.ToHexStringLower(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
