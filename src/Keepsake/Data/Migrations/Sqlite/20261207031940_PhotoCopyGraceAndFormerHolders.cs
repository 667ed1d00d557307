using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotoCopyGraceAndFormerHolders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "UnheldSince",
                table: "photo_copies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "photo_copy_former_holders",
                columns: table => new
                {
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_photo_copy_former_holders", x => new { x.OwnerId, x.Sha256 });
                    table.ForeignKey(
                        name: "FK_photo_copy_former_holders_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_photo_copy_former_holders_Sha256",
                table: "photo_copy_former_holders",
                column: "Sha256");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "photo_copy_former_holders");

            migrationBuilder.DropColumn(
                name: "UnheldSince",
                table: "photo_copies");
        }
    }
}
