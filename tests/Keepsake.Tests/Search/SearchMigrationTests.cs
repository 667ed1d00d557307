using Keepsake.Data;
using Keepsake.Search;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Keepsake.Tests.Search;

/// <summary>Photos stored before search are found after the upgrade: the migration indexes them, with their albums.</summary>
public sealed class SearchMigrationTests
{
    /// <summary>The last migration before the search index (each provider's set has its own id for it).</summary>
    private const string BeforeSearch = "_PhotoDateSource";

    [Fact]
    public async Task The_migration_indexes_the_photos_already_stored_with_their_album_names()
    {
        using var folder = new TemporaryFolder();
        var postgres = KeepsakeApp.OnScaleStack ? PostgresServer.Instance.ConnectionString("keepsake_" + Guid.NewGuid().ToString("N")) : null;
        try
        {
            await using var db = Context(postgres, folder);
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith(BeforeSearch, StringComparison.Ordinal)));
            var (owner, photo) = (Guid.CreateVersion7(), Guid.CreateVersion7());
            // As the previous release wrote them: a KODAK photo taken in Paris, in the album Holidays.
            var (no, yes, id, user) = postgres is null
                ? ("0", "1", $"'{photo.ToString().ToUpperInvariant()}'", $"'{owner.ToString().ToUpperInvariant()}'")
                : ("false", "true", $"'{photo}'", $"'{owner}'");
            var previousRelease = $"""
                INSERT INTO "AspNetUsers" ("Id", "IsAdmin", "CreatedAt", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
                VALUES ({user}, {no}, '2026-01-01 00:00:00', {no}, {no}, {no}, {no}, 0);
                INSERT INTO photos ("Id", "OwnerId", "OriginalFileName", "Format", "SizeBytes", "Sha256", "Width", "Height", "Orientation",
                    "UploadedAt", "TimelineAt", "CameraMake", "CameraModel", "PlaceCity", "PlaceCountry", "PlaceLookedUp")
                VALUES ({id}, {user}, 'IMG_0001.jpg', 'jpeg', 1, '{new string('0', 64)}', 4, 3, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00',
                    'EASTMAN KODAK COMPANY', 'KODAK PIXPRO FZ201', 'Paris', 'France', {yes});
                INSERT INTO albums ("Id", "OwnerId", "Name", "CreatedAt", "UpdatedAt") VALUES ({user}, {user}, 'Holidays', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
                INSERT INTO album_photos ("AlbumId", "PhotoId", "AddedAt") VALUES ({user}, {id}, '2026-01-01 00:00:00');
                """;
            await db.Database.ExecuteSqlRawAsync(previousRelease);

            await db.Database.MigrateAsync();

            IPhotoSearchIndex index = postgres is null ? new SqlitePhotoSearchIndex(db) : new PostgresPhotoSearchIndex(db);
            var hits = await index.FindAsync(new PhotoSearch(owner, SearchQuery.Parse("fz201 paris holidays"), null, null), null, 10, CancellationToken.None);
            Assert.Equal([new SearchHit(photo, SearchRelevance.FileNameOrCamera + SearchRelevance.Place + SearchRelevance.AlbumName)], hits);
        }
        finally
        {
            if (postgres is not null)
            {
                PostgresServer.Instance.DropDatabase(postgres);
            }
        }
    }

    private static KeepsakeDbContext Context(string? postgres, TemporaryFolder folder)
    {
        if (postgres is not null)
        {
            var options = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
            DataExtensions.ConfigurePostgres(options, postgres);
            return new PostgresKeepsakeDbContext(options.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(sqlite, $"Data Source={Path.Combine(folder.Path, "keepsake.db")}");
        return new SqliteKeepsakeDbContext(sqlite.Options);
    }
}
