using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LargeThumbnails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HasLargeThumbnail",
                table: "photos",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_photos_large_thumbnail_backfill",
                table: "photos",
                column: "Id",
                filter: "NOT \"HasLargeThumbnail\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_large_thumbnail_backfill",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "HasLargeThumbnail",
                table: "photos");
        }
    }
}
