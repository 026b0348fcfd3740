using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <summary>Records stored before Issue13Facts with no time in the media or from the uploader took the
    /// upload's start and were shown as on time: their recording time is unknown, and so is whether they
    /// were late. A migration of its own because SQLite makes LateSave nullable by rebuilding the table,
    /// which EF runs at the end of a migration, after any SQL in it.</summary>
    [DbContext(typeof(AvLedgerDb))]
    [Migration("20261202170000_Issue13FactsUnknownTimes")]
    public partial class Issue13FactsUnknownTimes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Records\" SET \"RecordedStartSource\" = 'unknown', \"LateSave\" = NULL WHERE \"RecordedStartSource\" = 'upload'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Records\" SET \"LateSave\" = 0 WHERE \"LateSave\" IS NULL");
        }
    }
}
