using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Exports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RecordId",
                table: "LedgerLeaves",
                type: "TEXT",
                maxLength: 26,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidenceExports",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequesterId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ProvisionId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    TargetType = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    WithCopies = table.Column<bool>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Progress = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReadyAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ManifestSha256 = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SealIndex = table.Column<long>(type: "INTEGER", nullable: true),
                    TreeSize = table.Column<long>(type: "INTEGER", nullable: true),
                    PackageSha256 = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Size = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Downloads = table.Column<int>(type: "INTEGER", nullable: false),
                    ReceiptSha256 = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ReceiptSize = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceiptFileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    ReceiptContentType = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ReceiptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceiptById = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceExports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceExportRecords",
                columns: table => new
                {
                    ExportId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceExportRecords", x => new { x.ExportId, x.RecordId });
                    table.ForeignKey(
                        name: "FK_EvidenceExportRecords_EvidenceExports_ExportId",
                        column: x => x.ExportId,
                        principalTable: "EvidenceExports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerLeaves_RecordId_Index",
                table: "LedgerLeaves",
                columns: new[] { "RecordId", "Index" });

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceExportRecords_RecordId",
                table: "EvidenceExportRecords",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceExports_ProvisionId",
                table: "EvidenceExports",
                column: "ProvisionId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceExports_RequesterId",
                table: "EvidenceExports",
                column: "RequesterId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvidenceExportRecords");

            migrationBuilder.DropTable(
                name: "EvidenceExports");

            migrationBuilder.DropIndex(
                name: "IX_LedgerLeaves_RecordId_Index",
                table: "LedgerLeaves");

            migrationBuilder.DropColumn(
                name: "RecordId",
                table: "LedgerLeaves");
        }
    }
}
