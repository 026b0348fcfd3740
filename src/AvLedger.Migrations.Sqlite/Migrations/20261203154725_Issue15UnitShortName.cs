using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue15UnitShortName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ShortName",
                table: "Units",
                type: "TEXT",
                maxLength: 40,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ShortName",
                table: "Units");
        }
    }
}
