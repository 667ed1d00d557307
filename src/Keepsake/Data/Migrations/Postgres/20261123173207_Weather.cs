using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Keepsake.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Weather : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "weather_days",
                columns: table => new
                {
                    LatitudeTenths = table.Column<int>(type: "integer", nullable: false),
                    LongitudeTenths = table.Column<int>(type: "integer", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    FetchedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_weather_days", x => new { x.LatitudeTenths, x.LongitudeTenths, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "weather_hours",
                columns: table => new
                {
                    LatitudeTenths = table.Column<int>(type: "integer", nullable: false),
                    LongitudeTenths = table.Column<int>(type: "integer", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    TemperatureCelsius = table.Column<double>(type: "double precision", nullable: true),
                    WeatherCode = table.Column<int>(type: "integer", nullable: true),
                    PrecipitationMillimetres = table.Column<double>(type: "double precision", nullable: true),
                    CloudCoverPercent = table.Column<double>(type: "double precision", nullable: true),
                    WindSpeedKmh = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_weather_hours", x => new { x.LatitudeTenths, x.LongitudeTenths, x.Hour });
                });

            migrationBuilder.CreateTable(
                name: "weather_queue",
                columns: table => new
                {
                    LatitudeTenths = table.Column<int>(type: "integer", nullable: false),
                    LongitudeTenths = table.Column<int>(type: "integer", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    WaitingSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastOutcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_weather_queue", x => new { x.LatitudeTenths, x.LongitudeTenths, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_weather_queue_NextAttemptAt",
                table: "weather_queue",
                column: "NextAttemptAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "weather_days");

            migrationBuilder.DropTable(
                name: "weather_hours");

            migrationBuilder.DropTable(
                name: "weather_queue");
        }
    }
}
