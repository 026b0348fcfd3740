using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LateSaveReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LateSaveAcknowledgedAt",
                table: "Records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveAcknowledgedById",
                table: "Records",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReason",
                table: "Records",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LateSaveReasonAt",
                table: "Records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReasonSalt",
                table: "Records",
                type: "TEXT",
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
