using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Issue13Facts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<bool>(
                name: "LateSave",
                table: "Records",
                type: "boolean",
                nullable: true,
                oldClrType: typeof(bool),
                oldType: "boolean");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimedRecordedStart",
                table: "Records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReturnOpinion",
                table: "Records",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReturnOpinionSalt",
                table: "Records",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LateSaveReturnedAt",
                table: "Records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReturnedById",
                table: "Records",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RecordedTimeConfirmedAt",
                table: "Records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedTimeConfirmedById",
                table: "Records",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RecordedTimeDiscrepancy",
                table: "Records",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Records stored before this change with no time in the media or from the uploader took the upload's
            // start and were shown as on time: their recording time is unknown, and whether they were late too.
            migrationBuilder.Sql("UPDATE \"Records\" SET \"RecordedStartSource\" = 'unknown', \"LateSave\" = NULL WHERE \"RecordedStartSource\" = 'upload'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Records\" SET \"LateSave\" = FALSE WHERE \"LateSave\" IS NULL");

            migrationBuilder.DropColumn(
                name: "ClaimedRecordedStart",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReturnOpinion",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReturnOpinionSalt",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReturnedAt",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "LateSaveReturnedById",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "RecordedTimeConfirmedAt",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "RecordedTimeConfirmedById",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "RecordedTimeDiscrepancy",
                table: "Records");

            migrationBuilder.AlterColumn<bool>(
                name: "LateSave",
                table: "Records",
                type: "boolean",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldNullable: true);
        }
    }
}
