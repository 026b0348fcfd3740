using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "ClaimedRecordedStart",
                table: "Records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReturnOpinion",
                table: "Records",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReturnOpinionSalt",
                table: "Records",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LateSaveReturnedAt",
                table: "Records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LateSaveReturnedById",
                table: "Records",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecordedTimeConfirmedAt",
                table: "Records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedTimeConfirmedById",
                table: "Records",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RecordedTimeDiscrepancy",
                table: "Records",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
