using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Faults;

/// <summary>
/// The server the album races run against: its owner, two photos that stay, and the faults it logs. On PostgreSQL its
/// database has the constraint order of a restored backup (see <see cref="ReorderCoverForeignKeyAsync"/>).
/// </summary>
public sealed class AlbumRaceServer : IAsyncLifetime
{
    private readonly TemporaryFolder _scratch = new();
    private int _uploaded;

    public AlbumRaceServer()
    {
        App = new KeepsakeApp(Aftermath.ScratchIn(_scratch.Path));
        Web = App.WithWebHostBuilder(builder => builder.ConfigureLogging(Faults.AddTo));
    }

    public KeepsakeApp App { get; }

    public WebApplicationFactory<Program> Web { get; }

    /// <summary>The errors and failed commands the server logged.</summary>
    public FaultLog Faults { get; } = new();

    public HttpClient Owner { get; private set; } = null!;

    /// <summary>Two photos no race deletes.</summary>
    public Guid[] Kept { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Owner = await Web.SetUpOwnerAsync();
        Kept = [.. await UploadPhotosAsync(2)];
        if (KeepsakeApp.OnScaleStack)
        {
            await ReorderCoverForeignKeyAsync();
        }
    }

    /// <summary>Uploads <paramref name="count"/> new photos: the same tiny JPEG, each with a comment of its own so none is a duplicate.</summary>
    public async Task<List<Guid>> UploadPhotosAsync(int count)
    {
        var jpeg = await File.ReadAllBytesAsync(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var ids = new List<Guid>();
        foreach (var batch in Enumerable.Range(Interlocked.Add(ref _uploaded, count) - count, count).Chunk(50))
        {
            var response = await KeepsakeApp.UploadAsync(Owner, batch.Select(n => ($"race-{n}.jpg", WithComment(jpeg, $"race {n}"))));
            ids.AddRange((await response.ReadAsync<UploadResponseDto>()).Photos.Select(p => p.Photo.Id));
        }
        return ids;
    }

    /// <summary>
    /// Makes <paramref name="count"/> albums of the owner straight in the database, in one transaction: album n holds
    /// <paramref name="photosOf"/>(n), with the first as its cover when <paramref name="coverFirst"/>. It is a race's setup,
    /// not what the race tests, and through the API it would cost a commit per album and per photo, most of a race's time.
    /// </summary>
    public async Task<Guid[]> CreateAlbumsAsync(string name, int count, Func<int, Guid[]>? photosOf = null, bool coverFirst = false)
    {
        using var scope = Web.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        var owner = await db.Users.Select(u => u.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var albums = Enumerable.Range(0, count).Select(n =>
        {
            var photos = photosOf?.Invoke(n) ?? [];
            return new Album
            {
                Id = Guid.CreateVersion7(),
                OwnerId = owner,
                Name = name,
                CoverPhotoId = coverFirst ? photos[0] : null,
                CreatedAt = now,
                UpdatedAt = now,
                Photos = [.. photos.Select(photo => new AlbumPhoto { PhotoId = photo, AddedAt = now })],
            };
        }).ToList();
        db.Albums.AddRange(albums);
        await db.SaveChangesAsync();
        return [.. albums.Select(a => a.Id)];
    }

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        App.Dispose();
        Aftermath.AssertNoScratchFolders(_scratch.Path);
        _scratch.Dispose();
    }

    /// <summary>
    /// Makes the cover's foreign key the newest constraint, as restoring a backup does (pg_restore makes them in name
    /// order, a migration table by table): deleting a photo then sets covers to null after it deletes the photo's album
    /// rows, the order in which such a delete deadlocked with a change of the album.
    /// </summary>
    private async Task ReorderCoverForeignKeyAsync()
    {
        using var scope = Web.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
        await db.Database.ExecuteSqlRawAsync("""
            ALTER TABLE albums DROP CONSTRAINT "FK_albums_photos_CoverPhotoId",
                ADD CONSTRAINT "FK_albums_photos_CoverPhotoId" FOREIGN KEY ("CoverPhotoId") REFERENCES photos ("Id") ON DELETE SET NULL
            """);
    }

    /// <summary>A JPEG comment segment (FF FE) right after the start-of-image marker.</summary>
    private static byte[] WithComment(byte[] jpeg, string comment)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(comment);
        var length = text.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. text, .. jpeg[2..]];
    }
}
