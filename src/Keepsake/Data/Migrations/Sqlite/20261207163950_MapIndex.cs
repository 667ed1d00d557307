using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MapIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_photos_map",
                table: "photos",
                columns: new[] { "OwnerId", "TimelineAt", "Id", "Latitude", "Longitude", "TrashedAt", "IsArchived" },
                descending: new[] { false, true, true, false, false, false, false },
                filter: "\"Latitude\" IS NOT NULL AND \"Longitude\" IS NOT NULL AND \"TrashedAt\" IS NULL AND NOT \"IsArchived\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_map",
                table: "photos");
        }
    }
}
