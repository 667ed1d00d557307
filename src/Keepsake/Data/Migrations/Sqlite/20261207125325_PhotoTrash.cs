using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotoTrash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "TrashedAt",
                table: "photos",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_photos_trash",
                table: "photos",
                columns: new[] { "OwnerId", "TrashedAt", "Id" },
                descending: new[] { false, true, true },
                filter: "\"TrashedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_photos_trash_purge",
                table: "photos",
                column: "TrashedAt",
                filter: "\"TrashedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_trash",
                table: "photos");

            migrationBuilder.DropIndex(
                name: "IX_photos_trash_purge",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "TrashedAt",
                table: "photos");
        }
    }
}
