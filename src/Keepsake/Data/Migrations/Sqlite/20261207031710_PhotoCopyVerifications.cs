using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotoCopyVerifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "photo_copy_verifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VerifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Checked = table.Column<int>(type: "INTEGER", nullable: false),
                    Recorded = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_photo_copy_verifications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_photo_copy_verifications_VerifiedAt",
                table: "photo_copy_verifications",
                column: "VerifiedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "photo_copy_verifications");
        }
    }
}
