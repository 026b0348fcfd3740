using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue13Duties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RoleGrants",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 26, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 26, nullable: false),
                    Roles = table.Column<int>(type: "INTEGER", maxLength: 32, nullable: false),
                    Clearance = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProposedById = table.Column<string>(type: "TEXT", maxLength: 26, nullable: false),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 26, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoleGrants", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RoleGrants_AccountId_State",
                table: "RoleGrants",
                columns: new[] { "AccountId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RoleGrants_State_ProposedAt",
                table: "RoleGrants",
                columns: new[] { "State", "ProposedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RoleGrants");
        }
    }
}
