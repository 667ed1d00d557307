using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotoCopies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "photo_copies",
                columns: table => new
                {
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Generation = table.Column<long>(type: "INTEGER", nullable: false),
                    CopiedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_photo_copies", x => x.Sha256);
                });

            migrationBuilder.CreateIndex(
                name: "IX_photo_copies_Generation",
                table: "photo_copies",
                column: "Generation");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "photo_copies");
        }
    }
}
