using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SecondFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TotpPending",
                table: "Accounts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TotpSecret",
                table: "Accounts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TotpPending",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "TotpSecret",
                table: "Accounts");
        }
    }
}
