using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Keepsake.Tests.Privacy.PrivacyTestKit;

namespace Keepsake.Tests.Privacy;

/// <summary><c>GET /api/me/export</c> and <c>keepsake user export</c>, on the embedded stack or the scale stack.</summary>
public sealed class UserExportTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_export_holds_every_original_byte_for_byte_under_its_file_name_and_a_JSON_file_listing_them_and_the_CLI_writes_the_same()
    {
        using var app = new KeepsakeApp();
        var (_, friend) = await CreateTwoLibrariesAsync(app);
        var owner = await app.LoginAsync(OwnerEmail);
        var photos = Directory.GetFiles(TestData.PhotosFolder).Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".tsv", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var uploaded = new Dictionary<Guid, string>();
        foreach (var path in photos)
        {
            var response = await KeepsakeApp.UploadAsync(owner, path);
            // The two photos the library already holds come back as duplicates of the same photo.
            uploaded[(await response.ReadAsync<UploadResponseDto>()).Photos.Single().Photo.Id] = path;
        }
        // Two names that differ only in case, and one no file system would take as it is.
        uploaded[(await UploadAsAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"), "holiday.jpg", suffix: [0xFF])).Id] = "holiday.jpg";
        uploaded[(await UploadAsAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"), "HOLIDAY.jpg", suffix: [0xFF, 0xFF])).Id] = "HOLIDAY.jpg";
        uploaded[(await UploadAsAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"), "what?<now>:*.jpg", suffix: [0xFF, 0xFF, 0xFF])).Id] = "odd";
        var described = uploaded.Single(u => Path.GetFileName(u.Value) == "gps-apple-iphone4.jpg").Key;
        await (await owner.PutAsJsonAsync($"/api/photos/{described}/description", new PhotoDescriptionDto("The Colosseum at noon"))).EnsureSuccessAsync();

        using var export = await owner.GetAsync("/api/me/export", HttpCompletionOption.ResponseHeadersRead);
        await export.EnsureSuccessAsync();
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("keepsake-export-", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var entries = Entries(await export.Content.ReadAsByteArrayAsync());
        var listing = JsonSerializer.Deserialize<JsonElement>(entries[UserExport.MetadataFile], Json);

        Assert.Equal(OwnerEmail, listing.GetProperty("account").GetProperty("email").GetString());
        var listed = listing.GetProperty("photos").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("file").GetString()!);
        Assert.Equal(uploaded.Keys.Order(), listed.Keys.Order());
        Assert.Equal(listed.Values.Order(StringComparer.Ordinal), entries.Keys.Where(k => k != UserExport.MetadataFile).Order(StringComparer.Ordinal));
        foreach (var (id, path) in uploaded.Where(u => File.Exists(u.Value)))
        {
            Assert.Equal(UserExport.PhotosFolder + Path.GetFileName(path), listed[id]);
            Assert.Equal(await File.ReadAllBytesAsync(path), entries[listed[id]]);
        }
        // Each photo's place as the API gives it: named for a photo with GPS, null for one without.
        var places = listing.GetProperty("photos").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("place"));
        var rome = places[uploaded.Single(u => Path.GetFileName(u.Value) == "gps-apple-iphone4.jpg").Key];
        Assert.Equal(["Rome", "Lazio", "Italy"], new[] { "city", "region", "country" }.Select(name => rome.GetProperty(name).GetString()));
        Assert.Equal(JsonValueKind.Null, places[uploaded.Single(u => Path.GetFileName(u.Value) == "no-exif-casio.jpg").Key].ValueKind);
        // The owner's description as they wrote it; null where they wrote none.
        var descriptions = listing.GetProperty("photos").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("description").GetString());
        Assert.Equal("The Colosseum at noon", descriptions[described]);
        Assert.Null(descriptions[uploaded.Single(u => Path.GetFileName(u.Value) == "no-exif-casio.jpg").Key]);
        Assert.Contains("photos/holiday.jpg", entries.Keys);
        Assert.Contains("photos/HOLIDAY (2).jpg", entries.Keys);
        Assert.Contains("photos/what__now___.jpg", entries.Keys);
        var album = Assert.Single(listing.GetProperty("albums").EnumerateArray());
        Assert.Equal(2, album.GetProperty("photoIds").GetArrayLength());
        var link = Assert.Single(listing.GetProperty("shareLinks").EnumerateArray());
        Assert.Equal(album.GetProperty("id").GetGuid(), link.GetProperty("albumId").GetGuid());
        // Nothing of the friend, and no secret: neither a token nor its hash nor a password hash.
        Assert.DoesNotContain(entries.Values, bytes => friend.IsMentionedIn(Encoding.UTF8.GetString(bytes)));
        var metadata = Encoding.UTF8.GetString(entries[UserExport.MetadataFile]);
        Assert.DoesNotContain("token", metadata, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", metadata, StringComparison.OrdinalIgnoreCase);

        var file = Path.Combine(app.Folder.Path, "mine.zip");
        var cli = await CliRunner.RunAsync(app, $"user export {OwnerEmail} {file}");
        Assert.True(cli.ExitCode == 0, Describe(cli));
        Assert.Equal(Summary(entries), Summary(Entries(await File.ReadAllBytesAsync(file))));
    }

    [Fact]
    public async Task Nobody_exports_another_users_photos_and_the_CLI_refuses_an_unknown_email_writing_nothing()
    {
        using var app = new KeepsakeApp();
        var (_, friend) = await CreateTwoLibrariesAsync(app);
        var admin = await app.LoginAsync(OwnerEmail);

        using var response = await admin.GetAsync("/api/me/export");
        await response.EnsureSuccessAsync();
        var adminExport = Entries(await response.Content.ReadAsByteArrayAsync());
        await (await admin.GetAsync($"/api/admin/users/{friend.Id}/export")).AssertProblemAsync(HttpStatusCode.NotFound);
        var file = Path.Combine(app.Folder.Path, "nobody.zip");
        var unknown = await CliRunner.RunAsync(app, $"user export nobody@example.com {file}");

        Assert.Equal(2, adminExport.Count(e => e.Key.StartsWith(UserExport.PhotosFolder, StringComparison.Ordinal)));
        Assert.DoesNotContain(adminExport.Values, bytes => friend.IsMentionedIn(Encoding.UTF8.GetString(bytes)));
        Assert.True(unknown.ExitCode == 1, Describe(unknown));
        Assert.Equal("error: there is no user with the e-mail address nobody@example.com; nothing was written.", unknown.Error.Trim());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task The_peak_memory_of_an_export_does_not_grow_with_the_library()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync(OwnerEmail);
        var admin = await app.LoginAsync(OwnerEmail);
        await app.CreateUserAsync(admin, "small@example.com");
        await app.CreateUserAsync(admin, "large@example.com");
        const int PhotoBytes = 6 * 1024 * 1024;
        await AddOriginalsAsync(app, "small@example.com", count: 2, PhotoBytes);
        await AddOriginalsAsync(app, "large@example.com", count: 16, PhotoBytes);

        var small = await ExportPeakKilobytesAsync(app, "small@example.com");
        var large = await ExportPeakKilobytesAsync(app, "large@example.com");

        output.WriteLine($"peak RSS exporting 12 MB: {small.PeakKilobytes / 1024} MB; exporting 96 MB: {large.PeakKilobytes / 1024} MB");
        // The larger library holds 84 MB more originals; held in memory they would show twice over this margin.
        Assert.True(large.ZipBytes > 16L * PhotoBytes, $"the large export is only {large.ZipBytes} bytes");
        Assert.True(large.PeakKilobytes - small.PeakKilobytes < 40 * 1024,
            $"peak memory {small.PeakKilobytes} KB exporting 12 MB and {large.PeakKilobytes} KB exporting 96 MB");
    }

    /// <summary>Rows and random originals written straight to the database and the store, as a large import would leave them, without decoding anything.</summary>
    private static async Task AddOriginalsAsync(KeepsakeApp app, string email, int count, int bytes)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var ownerId = db.Users.Single(u => u.Email == email).Id;
        for (var i = 0; i < count; i++)
        {
            var content = RandomNumberGenerator.GetBytes(bytes);
            var photo = new Photo
            {
                Id = Guid.CreateVersion7(),
                OwnerId = ownerId,
                OriginalFileName = $"IMG_{i:0000}.jpg",
                Format = "jpeg",
                SizeBytes = bytes,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
                Width = 4000,
                Height = 3000,
                UploadedAt = DateTime.UtcNow,
                TimelineAt = DateTime.UtcNow,
            };
            await app.WriteStoredFileAsync(PhotoBlobs.Original(ownerId, photo.Id), content);
            db.Photos.Add(photo);
        }
        await db.SaveChangesAsync();
    }

    private static async Task<(long PeakKilobytes, long ZipBytes)> ExportPeakKilobytesAsync(KeepsakeApp app, string email)
    {
        var file = Path.Combine(app.Folder.Path, $"{email}.zip");
        var result = await CliRunner.RunProcessAsync(app.Folder.Path, app.Environment, $"user export {email} {file}", wrapper: ["/usr/bin/time", "-f", "peak-rss-kb %M"]);
        Assert.True(result.ExitCode == 0, Describe(result));
        var peak = result.Error.Split('\n').Last(l => l.StartsWith("peak-rss-kb ", StringComparison.Ordinal))["peak-rss-kb ".Length..];
        var zipBytes = new FileInfo(file).Length;
        File.Delete(file);
        return (long.Parse(peak, CultureInfo.InvariantCulture), zipBytes);
    }

    private static async Task<PhotoDetailsDto> UploadAsAsync(HttpClient client, string path, string name, byte[] suffix)
    {
        // Bytes after a JPEG's end are ignored by decoders but make a distinct file (one user never stores the same bytes twice).
        var bytes = (await File.ReadAllBytesAsync(path)).Concat(suffix).ToArray();
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "files", name);
        return (await (await client.PostAsync("/api/photos", form)).ReadAsync<UploadResponseDto>()).Photos.Single().Photo;
    }

    private static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries.Add(entry.FullName, copy.ToArray());
        }
        return entries;
    }

    private static string Summary(Dictionary<string, byte[]> entries) =>
        string.Join("\n", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {Convert.ToHexStringLower(SHA256.HashData(e.Value))}"));
}
