using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PhotoFavoritesAndArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsArchived",
                table: "photos",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsFavorite",
                table: "photos",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_photos_archive",
                table: "photos",
                columns: new[] { "OwnerId", "TimelineAt", "Id" },
                descending: new[] { false, true, true },
                filter: "\"IsArchived\"")
                .Annotation("Npgsql:CreatedConcurrently", true);

            migrationBuilder.CreateIndex(
                name: "IX_photos_favorites",
                table: "photos",
                columns: new[] { "OwnerId", "TimelineAt", "Id" },
                descending: new[] { false, true, true },
                filter: "\"IsFavorite\"")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_archive",
                table: "photos");

            migrationBuilder.DropIndex(
                name: "IX_photos_favorites",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "IsArchived",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "IsFavorite",
                table: "photos");
        }
    }
}
