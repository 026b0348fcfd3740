using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AccessModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Disabled",
                table: "Units",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Path",
                table: "Units",
                type: "TEXT",
                maxLength: 1024,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Confidentiality",
                table: "Records",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<bool>(
                name: "Unassigned",
                table: "Records",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "UnitPath",
                table: "Records",
                type: "TEXT",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Detail",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SubjectId",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ClearedForStateSecrets",
                table: "Accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "MustChangePassword",
                table: "Accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Roles",
                table: "Accounts",
                type: "INTEGER",
                maxLength: 32,
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "UnitPath",
                table: "Accounts",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Units_Path",
                table: "Units",
                column: "Path");

            migrationBuilder.CreateIndex(
                name: "IX_Records_OfficerId_RecordedStart",
                table: "Records",
                columns: new[] { "OfficerId", "RecordedStart" });

            migrationBuilder.CreateIndex(
                name: "IX_Records_UnitPath_RecordedStart",
                table: "Records",
                columns: new[] { "UnitPath", "RecordedStart" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action_At",
                table: "AuditEvents",
                columns: new[] { "Action", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_UnitId",
                table: "Accounts",
                column: "UnitId");

            // Existing data: the single role becomes a role set; administrators become system administrators.
            migrationBuilder.Sql("""
                UPDATE "Accounts" SET "Roles" = CASE "Role"
                    WHEN 'Administrator' THEN 64 WHEN 'Officer' THEN 1 WHEN 'DepartmentHead' THEN 2 WHEN 'Inspector' THEN 8
                    WHEN 'Auditor' THEN 32 WHEN 'DeviceCustodian' THEN 4 WHEN 'CaseHandler' THEN 16 ELSE 1 END
                """);
            // Unit paths from the roots down (six levels is deeper than any agency's tree).
            migrationBuilder.Sql("""UPDATE "Units" SET "Path" = '/' || "Id" || '/' WHERE "ParentId" IS NULL""");
            for (var level = 0; level < 6; level++)
                migrationBuilder.Sql("""
                    UPDATE "Units" SET "Path" = (SELECT p."Path" FROM "Units" p WHERE p."Id" = "Units"."ParentId") || "Id" || '/'
                    WHERE "Path" = '' AND "ParentId" IN (SELECT u."Id" FROM "Units" u WHERE u."Path" <> '')
                    """);
            migrationBuilder.Sql("""UPDATE "Accounts" SET "UnitPath" = (SELECT u."Path" FROM "Units" u WHERE u."Id" = "Accounts"."UnitId") WHERE "UnitId" IS NOT NULL""");
            migrationBuilder.Sql("""UPDATE "Records" SET "UnitPath" = (SELECT u."Path" FROM "Units" u WHERE u."Id" = "Records"."UnitId") WHERE "UnitId" IS NOT NULL""");
            migrationBuilder.Sql("""UPDATE "Records" SET "Unassigned" = TRUE WHERE "OfficerId" IS NULL""");

            migrationBuilder.DropColumn(
                name: "Role",
                table: "Accounts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Units_Path",
                table: "Units");

            migrationBuilder.DropIndex(
                name: "IX_Records_OfficerId_RecordedStart",
                table: "Records");

            migrationBuilder.DropIndex(
                name: "IX_Records_UnitPath_RecordedStart",
                table: "Records");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Action_At",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_UnitId",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "Disabled",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "Path",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "Confidentiality",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "Unassigned",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "UnitPath",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "Detail",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "SubjectId",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "ClearedForStateSecrets",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "MustChangePassword",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "Roles",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "UnitPath",
                table: "Accounts");

            migrationBuilder.AddColumn<string>(
                name: "Role",
                table: "Accounts",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");
        }
    }
}
