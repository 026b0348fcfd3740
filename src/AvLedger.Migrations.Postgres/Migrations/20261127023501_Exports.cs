using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Postgres.Migrations
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
                type: "character varying(26)",
                maxLength: 26,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidenceExports",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequesterId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ProvisionId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Purpose = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    TargetType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Target = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    WithCopies = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Progress = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadyAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ManifestSha256 = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    SealIndex = table.Column<long>(type: "bigint", nullable: true),
                    TreeSize = table.Column<long>(type: "bigint", nullable: true),
                    PackageSha256 = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Size = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Downloads = table.Column<int>(type: "integer", nullable: false),
                    ReceiptSha256 = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ReceiptSize = table.Column<long>(type: "bigint", nullable: true),
                    ReceiptFileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    ReceiptContentType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ReceiptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReceiptById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidenceExports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EvidenceExportRecords",
                columns: table => new
                {
                    ExportId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
