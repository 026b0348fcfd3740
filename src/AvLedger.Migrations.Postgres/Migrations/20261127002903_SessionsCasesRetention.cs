using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace AvLedger.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SessionsCasesRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PurgedAt",
                table: "Records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RetentionOpenEnded",
                table: "Records",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Number = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CaseType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UnitId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Plates = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Parties = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FileDisposalDate = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Derivatives",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    OriginalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StartSeconds = table.Column<double>(type: "double precision", nullable: true),
                    EndSeconds = table.Column<double>(type: "double precision", nullable: true),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Size = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Derivatives", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EnforcementEvents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    OfficerBadge = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Place = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CaseNumber = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EnforcementEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InterruptionReports",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SessionId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    From = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    To = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ExplanationRecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ExplanationOffsetSeconds = table.Column<double>(type: "double precision", nullable: true),
                    ReportedToId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    DocumentNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    NoteSalt = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ReportedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InterruptionReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KeyContentMarkers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    OffsetSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    NoteSalt = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyContentMarkers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CaseId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    PlacedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PlacedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReleasedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ReleasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NoRecordingReports",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ActivityType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    From = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    To = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Place = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    NoteSalt = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    OfficerId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UnitId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoRecordingReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PurgeProposals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ProposedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetainUntil = table.Column<DateOnly>(type: "date", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DeciderId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Opinion = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DestroyAfter = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelledById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ExecutedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurgeProposals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RecordRetentions",
                columns: table => new
                {
                    RecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SetById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecordRetentions", x => new { x.RecordId, x.CategoryCode });
                });

            migrationBuilder.CreateTable(
                name: "RetentionCategories",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Days = table.Column<int>(type: "integer", nullable: true),
                    Disabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionCategories", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "Sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ActivityType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    AutoGrouped = table.Column<bool>(type: "boolean", nullable: false),
                    Location = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    UnitId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CaseLinks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CaseId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    SessionId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Automatic = table.Column<bool>(type: "boolean", nullable: false),
                    EventId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    LinkedById = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    LinkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseLinks_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CaseLinks_Records_RecordId",
                        column: x => x.RecordId,
                        principalTable: "Records",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "SessionDevices",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    DeviceCode = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionDevices", x => new { x.SessionId, x.DeviceCode });
                    table.ForeignKey(
                        name: "FK_SessionDevices_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SessionOfficers",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionOfficers", x => new { x.SessionId, x.AccountId });
                    table.ForeignKey(
                        name: "FK_SessionOfficers_Sessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "Sessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "RetentionCategories",
                columns: new[] { "Code", "Days", "Disabled", "Name" },
                values: new object[,]
                {
                    { "complaintOrDispute", null, false, "投诉或争议" },
                    { "evidence", null, false, "作为证据使用" },
                    { "general", 180, false, "一般" },
                    { "majorIncident", null, false, "重大突发事件" },
                    { "partyObstructed", null, false, "当事人阻挠执法或损毁记录设备" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_Records_SessionId_RecordedStart",
                table: "Records",
                columns: new[] { "SessionId", "RecordedStart" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseLinks_CaseId_RecordId",
                table: "CaseLinks",
                columns: new[] { "CaseId", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseLinks_RecordId",
                table: "CaseLinks",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseLinks_SessionId",
                table: "CaseLinks",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Number",
                table: "Cases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_UnitPath",
                table: "Cases",
                column: "UnitPath");

            migrationBuilder.CreateIndex(
                name: "IX_Derivatives_OriginalId",
                table: "Derivatives",
                column: "OriginalId");

            migrationBuilder.CreateIndex(
                name: "IX_EnforcementEvents_ExternalId",
                table: "EnforcementEvents",
                column: "ExternalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EnforcementEvents_OfficerBadge_Start",
                table: "EnforcementEvents",
                columns: new[] { "OfficerBadge", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_InterruptionReports_SessionId",
                table: "InterruptionReports",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_KeyContentMarkers_RecordId_OffsetSeconds",
                table: "KeyContentMarkers",
                columns: new[] { "RecordId", "OffsetSeconds" });

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_CaseId",
                table: "LegalHolds",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_RecordId",
                table: "LegalHolds",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_NoRecordingReports_OfficerId",
                table: "NoRecordingReports",
                column: "OfficerId");

            migrationBuilder.CreateIndex(
                name: "IX_NoRecordingReports_UnitPath_From",
                table: "NoRecordingReports",
                columns: new[] { "UnitPath", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_PurgeProposals_RecordId",
                table: "PurgeProposals",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_PurgeProposals_State_DestroyAfter",
                table: "PurgeProposals",
                columns: new[] { "State", "DestroyAfter" });

            migrationBuilder.CreateIndex(
                name: "IX_SessionDevices_DeviceCode",
                table: "SessionDevices",
                column: "DeviceCode");

            migrationBuilder.CreateIndex(
                name: "IX_SessionOfficers_AccountId",
                table: "SessionOfficers",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_End",
                table: "Sessions",
                column: "End");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_UnitPath_Start",
                table: "Sessions",
                columns: new[] { "UnitPath", "Start" });

            // Before sessions existed an upload's sessionId was kept unchecked; it named nothing.
            migrationBuilder.Sql("UPDATE \"Records\" SET \"SessionId\" = NULL");

            migrationBuilder.AddForeignKey(
                name: "FK_Records_Sessions_SessionId",
                table: "Records",
                column: "SessionId",
                principalTable: "Sessions",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Records_Sessions_SessionId",
                table: "Records");

            migrationBuilder.DropTable(
                name: "CaseLinks");

            migrationBuilder.DropTable(
                name: "Derivatives");

            migrationBuilder.DropTable(
                name: "EnforcementEvents");

            migrationBuilder.DropTable(
                name: "InterruptionReports");

            migrationBuilder.DropTable(
                name: "KeyContentMarkers");

            migrationBuilder.DropTable(
                name: "LegalHolds");

            migrationBuilder.DropTable(
                name: "NoRecordingReports");

            migrationBuilder.DropTable(
                name: "PurgeProposals");

            migrationBuilder.DropTable(
                name: "RecordRetentions");

            migrationBuilder.DropTable(
                name: "RetentionCategories");

            migrationBuilder.DropTable(
                name: "SessionDevices");

            migrationBuilder.DropTable(
                name: "SessionOfficers");

            migrationBuilder.DropTable(
                name: "Cases");

            migrationBuilder.DropTable(
                name: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_Records_SessionId_RecordedStart",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "PurgedAt",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "RetentionOpenEnded",
                table: "Records");
        }
    }
}
