using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Postgres
{
    /// <summary>
    /// The photo's description, and the search index the database keeps in step with every write itself (see
    /// Search/IPhotoSearchIndex): triggers on photos, albums and album entries maintain the photo_search rows in the
    /// writing statement's own transaction, whichever code path writes (EF, ExecuteUpdate, a cascade, an erasure), and the
    /// rows of the photos already stored are filled here.
    /// </summary>
    [AllowUnsafe(MigrationLint.BanRawSql, "Creates only new objects the previous release never reads: the pg_trgm and unaccent extensions (trusted: a database owner may create them), the photo_search table with its GIN trigram index, and triggers that keep it in step; the previous release's writes fire them too, so the index stays whole during a rolling deploy")]
    public partial class PhotoSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "photos",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE EXTENSION IF NOT EXISTS unaccent;
                CREATE FUNCTION keepsake_search_words(value text) RETURNS text
                    LANGUAGE sql STABLE PARALLEL SAFE SET search_path FROM CURRENT
                    AS $$ SELECT btrim(regexp_replace(lower(unaccent(coalesce(value, ''))), '[[:space:][:punct:]]+', ' ', 'g')) $$;
                CREATE TABLE photo_search (
                    photo_id uuid PRIMARY KEY REFERENCES photos ("Id") ON DELETE CASCADE,
                    description text NOT NULL,
                    file_name text NOT NULL,
                    camera text NOT NULL,
                    place text NOT NULL,
                    albums text NOT NULL,
                    document text NOT NULL
                );
                CREATE INDEX ix_photo_search_document ON photo_search USING gin (document gin_trgm_ops);
                CREATE FUNCTION keepsake_photo_search_refresh(photo_ids uuid[]) RETURNS void
                    LANGUAGE sql VOLATILE SET search_path FROM CURRENT AS $$
                    INSERT INTO photo_search (photo_id, description, file_name, camera, place, albums, document)
                    SELECT f.id, f.description, f.file_name, f.camera, f.place, f.albums,
                        f.description || f.file_name || f.camera || f.place || f.albums
                    FROM (
                        SELECT p."Id" AS id,
                            ' ' || keepsake_search_words(p."Description") || ' ' AS description,
                            ' ' || keepsake_search_words(p."OriginalFileName") || ' ' AS file_name,
                            ' ' || keepsake_search_words(concat_ws(' ', p."CameraMake", p."CameraModel", p."Lens")) || ' ' AS camera,
                            ' ' || keepsake_search_words(concat_ws(' ', p."PlaceCity", p."PlaceRegion", p."PlaceCountry")) || ' ' AS place,
                            ' ' || keepsake_search_words((SELECT string_agg(a."Name", ' ') FROM album_photos ap JOIN albums a ON a."Id" = ap."AlbumId"
                                WHERE ap."PhotoId" = p."Id")) || ' ' AS albums
                        FROM photos p WHERE p."Id" = ANY (photo_ids)
                    ) f
                    ON CONFLICT (photo_id) DO UPDATE SET description = excluded.description, file_name = excluded.file_name,
                        camera = excluded.camera, place = excluded.place, albums = excluded.albums, document = excluded.document;
                $$;
                CREATE FUNCTION keepsake_photos_search_changed() RETURNS trigger
                    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
                BEGIN
                    PERFORM keepsake_photo_search_refresh(ARRAY[NEW."Id"]);
                    RETURN NULL;
                END $$;
                CREATE FUNCTION keepsake_albums_search_renamed() RETURNS trigger
                    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
                BEGIN
                    PERFORM keepsake_photo_search_refresh(ARRAY(SELECT "PhotoId" FROM album_photos WHERE "AlbumId" = NEW."Id"));
                    RETURN NULL;
                END $$;
                CREATE FUNCTION keepsake_album_photos_search_changed() RETURNS trigger
                    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM keepsake_photo_search_refresh(ARRAY[OLD."PhotoId"]);
                    ELSE
                        PERFORM keepsake_photo_search_refresh(ARRAY[NEW."PhotoId"]);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER photos_search_insert AFTER INSERT ON photos
                    FOR EACH ROW EXECUTE FUNCTION keepsake_photos_search_changed();
                CREATE TRIGGER photos_search_update
                    AFTER UPDATE OF "Description", "OriginalFileName", "CameraMake", "CameraModel", "Lens", "PlaceCity", "PlaceRegion", "PlaceCountry" ON photos
                    FOR EACH ROW WHEN (OLD."Description" IS DISTINCT FROM NEW."Description" OR OLD."OriginalFileName" IS DISTINCT FROM NEW."OriginalFileName"
                        OR OLD."CameraMake" IS DISTINCT FROM NEW."CameraMake" OR OLD."CameraModel" IS DISTINCT FROM NEW."CameraModel"
                        OR OLD."Lens" IS DISTINCT FROM NEW."Lens" OR OLD."PlaceCity" IS DISTINCT FROM NEW."PlaceCity"
                        OR OLD."PlaceRegion" IS DISTINCT FROM NEW."PlaceRegion" OR OLD."PlaceCountry" IS DISTINCT FROM NEW."PlaceCountry")
                    EXECUTE FUNCTION keepsake_photos_search_changed();
                CREATE TRIGGER albums_search_rename AFTER UPDATE OF "Name" ON albums
                    FOR EACH ROW WHEN (OLD."Name" IS DISTINCT FROM NEW."Name") EXECUTE FUNCTION keepsake_albums_search_renamed();
                CREATE TRIGGER album_photos_search AFTER INSERT OR DELETE ON album_photos
                    FOR EACH ROW EXECUTE FUNCTION keepsake_album_photos_search_changed();
                SELECT keepsake_photo_search_refresh(ARRAY(SELECT "Id" FROM photos));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER album_photos_search ON album_photos;
                DROP TRIGGER albums_search_rename ON albums;
                DROP TRIGGER photos_search_update ON photos;
                DROP TRIGGER photos_search_insert ON photos;
                DROP FUNCTION keepsake_album_photos_search_changed();
                DROP FUNCTION keepsake_albums_search_renamed();
                DROP FUNCTION keepsake_photos_search_changed();
                DROP FUNCTION keepsake_photo_search_refresh(uuid[]);
                DROP TABLE photo_search;
                DROP FUNCTION keepsake_search_words(text);
                """);

            migrationBuilder.DropColumn(
                name: "Description",
                table: "photos");
        }
    }
}
