using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ShareIncludeLocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IncludeLocation",
                table: "share_links",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IncludeLocation",
                table: "share_links");
        }
    }
}
