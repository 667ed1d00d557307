using System.Security.Cryptography;
using Keepsake.Backups.Photos;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Backups;

/// <summary>
/// A photo backup target for one test, a folder or a bucket of its own on the second S3 server: the
/// <c>Backups:Photos</c> settings a <see cref="KeepsakeApp"/> is made with, and what the target and <c>photo_copies</c> hold.
/// </summary>
public sealed class PhotoCopyTarget : IDisposable
{
    public const string Folder = "filesystem";
    public const string S3 = "s3";

    private readonly TemporaryFolder? _folder;
    private readonly S3Server? _s3;
    private readonly string? _bucket;

    private PhotoCopyTarget(TemporaryFolder folder)
    {
        _folder = folder;
        Settings = PhotoBackupTestKit.FolderTarget(folder.Path);
    }

    private PhotoCopyTarget(S3Server s3, string bucket)
    {
        _s3 = s3;
        _bucket = bucket;
        Settings = PhotoBackupTestKit.S3Target(s3, bucket);
    }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<PhotoCopyTarget> CreateAsync(string provider, S3Server s3) =>
        provider == S3 ? new PhotoCopyTarget(s3, await s3.CreateBucketAsync()) : new PhotoCopyTarget(new TemporaryFolder());

    public static string Sha256Of(string photo) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(TestData.Photo(photo))));

    public static string KeyOf(string photo) => PhotoCopier.KeyOf(Sha256Of(photo));

    /// <summary>An app whose settings include this target (and <paramref name="more"/>).</summary>
    public KeepsakeApp CreateApp(IDictionary<string, string?>? more = null)
    {
        var settings = Settings.ToDictionary();
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new KeepsakeApp(settings);
    }

    /// <summary>The keys of the copies on the target, sorted (the target's record of its runs beside them is not a copy).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync() =>
        (_s3 is not null ? await _s3.KeysAsync(_bucket!) : _folder!.Files())
            .Where(key => key.StartsWith(PhotoCopier.Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The keys of the photos' copies, sorted like <see cref="KeysAsync"/>.</summary>
    public static IReadOnlyList<string> KeysOf(params string[] photos) => photos.Select(KeyOf).Order(StringComparer.Ordinal).ToList();

    /// <summary>The contents <c>photo_copies</c> records, sorted, with when each was first seen unheld.</summary>
    public static async Task<IReadOnlyList<(string Sha256, DateTime? UnheldSince)>> RowsAsync(KeepsakeApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var rows = await db.PhotoCopies.Select(c => new { c.Sha256, c.UnheldSince }).ToListAsync();
        return rows.OrderBy(r => r.Sha256, StringComparer.Ordinal).Select(r => (r.Sha256, r.UnheldSince)).ToList();
    }

    /// <summary>The contents <c>photo_copies</c> records for the photos, sorted.</summary>
    public static IReadOnlyList<string> ContentsOf(params string[] photos) => photos.Select(Sha256Of).Order(StringComparer.Ordinal).ToList();

    public void Dispose() => _folder?.Dispose();
}
