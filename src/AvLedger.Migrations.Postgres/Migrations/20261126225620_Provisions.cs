using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AvLedger.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Provisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Provision_LegalBasis",
                table: "AccessRequests",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Provision_RecipientOrganisation",
                table: "AccessRequests",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Provision_RecipientPerson",
                table: "AccessRequests",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Provision_Sensitive",
                table: "AccessRequests",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsultOpinion",
                table: "AccessDecisions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsultOpinionSalt",
                table: "AccessDecisions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsultUnitId",
                table: "AccessDecisions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsultantId",
                table: "AccessDecisions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ConsultedAt",
                table: "AccessDecisions",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Provision_LegalBasis",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "Provision_RecipientOrganisation",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "Provision_RecipientPerson",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "Provision_Sensitive",
                table: "AccessRequests");

            migrationBuilder.DropColumn(
                name: "ConsultOpinion",
                table: "AccessDecisions");

            migrationBuilder.DropColumn(
                name: "ConsultOpinionSalt",
                table: "AccessDecisions");

            migrationBuilder.DropColumn(
                name: "ConsultUnitId",
                table: "AccessDecisions");

            migrationBuilder.DropColumn(
                name: "ConsultantId",
                table: "AccessDecisions");

            migrationBuilder.DropColumn(
                name: "ConsultedAt",
                table: "AccessDecisions");
        }
    }
}
