using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RecordChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConfidentialityChanges",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RequesterId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ReasonSalt = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    DecidingUnitId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DeciderId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Opinion = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OpinionSalt = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfidentialityChanges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConfidentialityChanges_DecidingUnitId_State",
                table: "ConfidentialityChanges",
                columns: new[] { "DecidingUnitId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ConfidentialityChanges_RecordId",
                table: "ConfidentialityChanges",
                column: "RecordId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConfidentialityChanges");
        }
    }
}
