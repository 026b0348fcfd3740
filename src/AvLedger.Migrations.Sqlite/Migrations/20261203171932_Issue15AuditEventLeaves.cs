using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue15AuditEventLeaves : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuditEventId",
                table: "LedgerPending",
                type: "TEXT",
                maxLength: 26,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuditEventId",
                table: "LedgerLeaves",
                type: "TEXT",
                maxLength: 26,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerLeaves_AuditEventId",
                table: "LedgerLeaves",
                column: "AuditEventId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerLeaves_AuditEventId",
                table: "LedgerLeaves");

            migrationBuilder.DropColumn(
                name: "AuditEventId",
                table: "LedgerPending");

            migrationBuilder.DropColumn(
                name: "AuditEventId",
                table: "LedgerLeaves");
        }
    }
}
