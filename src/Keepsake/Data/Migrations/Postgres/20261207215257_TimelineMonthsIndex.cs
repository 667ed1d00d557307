using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TimelineMonthsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_photos_timeline_months",
                table: "photos",
                columns: new[] { "OwnerId", "TimelineAt", "TrashedAt", "IsArchived" },
                filter: "\"TrashedAt\" IS NULL AND NOT \"IsArchived\"")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_photos_timeline_months",
                table: "photos");
        }
    }
}
