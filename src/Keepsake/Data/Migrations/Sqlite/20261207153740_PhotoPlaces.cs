using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotoPlaces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PlaceCity",
                table: "photos",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlaceCountry",
                table: "photos",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlaceCountryCode",
                table: "photos",
                type: "TEXT",
                fixedLength: true,
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PlaceLookedUp",
                table: "photos",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PlaceRegion",
                table: "photos",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_photos_place_backfill",
                table: "photos",
                column: "Id",
                filter: "NOT \"PlaceLookedUp\" AND \"Latitude\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_photos_places",
                table: "photos",
                columns: new[] { "OwnerId", "PlaceCountryCode", "PlaceCity", "TimelineAt", "Id" },
                descending: new[] { false, false, false, true, true },
                filter: "\"PlaceCity\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_place_backfill",
                table: "photos");

            migrationBuilder.DropIndex(
                name: "IX_photos_places",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "PlaceCity",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "PlaceCountry",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "PlaceCountryCode",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "PlaceLookedUp",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "PlaceRegion",
                table: "photos");
        }
    }
}
