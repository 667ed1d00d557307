using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PhotosByContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_photos_Sha256",
                table: "photos",
                column: "Sha256")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_Sha256",
                table: "photos");
        }
    }
}
