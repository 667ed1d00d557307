using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <summary>
    /// The photo's description, and the search index the database keeps in step with every write itself (see
    /// Search/IPhotoSearchIndex): triggers on photos, albums and album entries maintain the photo_search rows in the
    /// writing statement's own transaction, whichever code path writes (EF, ExecuteUpdate, a cascade, an erasure), and the
    /// rows of the photos already stored are filled here.
    /// </summary>
    [AllowUnsafe(MigrationLint.BanRawSql, "Creates only new objects the previous release never reads: the photo_search table, its FTS5 table (which EF cannot express) and triggers that keep it in step; the previous release's writes fire them too, so the index stays whole during a rolling deploy")]
    public partial class PhotoSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "photos",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.Sql("""
                CREATE TABLE photo_search (
                    "key" INTEGER PRIMARY KEY,
                    photo_id TEXT NOT NULL UNIQUE,
                    description TEXT,
                    file_name TEXT,
                    camera TEXT,
                    place TEXT,
                    albums TEXT
                );
                CREATE VIRTUAL TABLE photo_search_fts USING fts5(
                    description, file_name, camera, place, albums,
                    content = 'photo_search', content_rowid = 'key',
                    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
                );
                CREATE TRIGGER photo_search_fts_insert AFTER INSERT ON photo_search BEGIN
                    INSERT INTO photo_search_fts (rowid, description, file_name, camera, place, albums)
                    VALUES (new."key", new.description, new.file_name, new.camera, new.place, new.albums);
                END;
                CREATE TRIGGER photo_search_fts_delete AFTER DELETE ON photo_search BEGIN
                    INSERT INTO photo_search_fts (photo_search_fts, rowid, description, file_name, camera, place, albums)
                    VALUES ('delete', old."key", old.description, old.file_name, old.camera, old.place, old.albums);
                END;
                CREATE TRIGGER photo_search_fts_update AFTER UPDATE ON photo_search BEGIN
                    INSERT INTO photo_search_fts (photo_search_fts, rowid, description, file_name, camera, place, albums)
                    VALUES ('delete', old."key", old.description, old.file_name, old.camera, old.place, old.albums);
                    INSERT INTO photo_search_fts (rowid, description, file_name, camera, place, albums)
                    VALUES (new."key", new.description, new.file_name, new.camera, new.place, new.albums);
                END;
                CREATE TRIGGER photos_search_insert AFTER INSERT ON photos BEGIN
                    INSERT INTO photo_search (photo_id, description, file_name, camera, place)
                    VALUES (new."Id", new."Description", new."OriginalFileName",
                        trim(coalesce(new."CameraMake", '') || ' ' || coalesce(new."CameraModel", '') || ' ' || coalesce(new."Lens", '')),
                        trim(coalesce(new."PlaceCity", '') || ' ' || coalesce(new."PlaceRegion", '') || ' ' || coalesce(new."PlaceCountry", '')));
                END;
                CREATE TRIGGER photos_search_update
                AFTER UPDATE OF "Description", "OriginalFileName", "CameraMake", "CameraModel", "Lens", "PlaceCity", "PlaceRegion", "PlaceCountry" ON photos
                WHEN old."Description" IS NOT new."Description" OR old."OriginalFileName" IS NOT new."OriginalFileName"
                    OR old."CameraMake" IS NOT new."CameraMake" OR old."CameraModel" IS NOT new."CameraModel" OR old."Lens" IS NOT new."Lens"
                    OR old."PlaceCity" IS NOT new."PlaceCity" OR old."PlaceRegion" IS NOT new."PlaceRegion" OR old."PlaceCountry" IS NOT new."PlaceCountry"
                BEGIN
                    UPDATE photo_search SET description = new."Description", file_name = new."OriginalFileName",
                        camera = trim(coalesce(new."CameraMake", '') || ' ' || coalesce(new."CameraModel", '') || ' ' || coalesce(new."Lens", '')),
                        place = trim(coalesce(new."PlaceCity", '') || ' ' || coalesce(new."PlaceRegion", '') || ' ' || coalesce(new."PlaceCountry", ''))
                    WHERE photo_id = new."Id";
                END;
                CREATE TRIGGER photos_search_delete AFTER DELETE ON photos BEGIN
                    DELETE FROM photo_search WHERE photo_id = old."Id";
                END;
                CREATE TRIGGER albums_search_rename AFTER UPDATE OF "Name" ON albums WHEN old."Name" IS NOT new."Name" BEGIN
                    UPDATE photo_search SET albums = (SELECT group_concat(a."Name", ' ') FROM album_photos ap JOIN albums a ON a."Id" = ap."AlbumId" WHERE ap."PhotoId" = photo_search.photo_id)
                    WHERE photo_id IN (SELECT "PhotoId" FROM album_photos WHERE "AlbumId" = new."Id");
                END;
                CREATE TRIGGER album_photos_search_insert AFTER INSERT ON album_photos BEGIN
                    UPDATE photo_search SET albums = (SELECT group_concat(a."Name", ' ') FROM album_photos ap JOIN albums a ON a."Id" = ap."AlbumId" WHERE ap."PhotoId" = new."PhotoId")
                    WHERE photo_id = new."PhotoId";
                END;
                CREATE TRIGGER album_photos_search_delete AFTER DELETE ON album_photos BEGIN
                    UPDATE photo_search SET albums = (SELECT group_concat(a."Name", ' ') FROM album_photos ap JOIN albums a ON a."Id" = ap."AlbumId" WHERE ap."PhotoId" = old."PhotoId")
                    WHERE photo_id = old."PhotoId";
                END;
                INSERT INTO photo_search (photo_id, description, file_name, camera, place, albums)
                SELECT p."Id", p."Description", p."OriginalFileName",
                    trim(coalesce(p."CameraMake", '') || ' ' || coalesce(p."CameraModel", '') || ' ' || coalesce(p."Lens", '')),
                    trim(coalesce(p."PlaceCity", '') || ' ' || coalesce(p."PlaceRegion", '') || ' ' || coalesce(p."PlaceCountry", '')),
                    (SELECT group_concat(a."Name", ' ') FROM album_photos ap JOIN albums a ON a."Id" = ap."AlbumId" WHERE ap."PhotoId" = p."Id")
                FROM photos p;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER album_photos_search_delete;
                DROP TRIGGER album_photos_search_insert;
                DROP TRIGGER albums_search_rename;
                DROP TRIGGER photos_search_delete;
                DROP TRIGGER photos_search_update;
                DROP TRIGGER photos_search_insert;
                DROP TABLE photo_search_fts;
                DROP TABLE photo_search;
                """);

            migrationBuilder.DropColumn(
                name: "Description",
                table: "photos");
        }
    }
}
