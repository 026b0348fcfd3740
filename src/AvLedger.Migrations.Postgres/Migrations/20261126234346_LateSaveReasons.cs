using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LateSaveReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LateSaveAcknowledgedAt",
                table: "Records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveAcknowledgedById",
                table: "Records",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReason",
                table: "Records",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LateSaveReasonAt",
                table: "Records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReasonSalt",
                table: "Records",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LateSaveAcknowledgedAt",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveAcknowledgedById",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReason",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReasonAt",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReasonSalt",
                table: "Records");
        }
    }
}
