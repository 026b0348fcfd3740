using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Audit;
using AvLedger.Core.Cases;
using AvLedger.Core.Derivatives;
using AvLedger.Core.Devices;
using AvLedger.Core.Ingest;
using AvLedger.Core.Jobs;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Retention;
using AvLedger.Core.Sessions;
using AvLedger.Core.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AvLedger.Core.Data;

public sealed class AvLedgerDb : DbContext
{
    readonly TimeStorage timeStorage;

    public AvLedgerDb(DbContextOptions<AvLedgerDb> options) : base(options) => timeStorage = TimeStorageExtension.Of(options);

    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<RoleGrant> RoleGrants => Set<RoleGrant>();
    public DbSet<ApprovalNumberCounter> ApprovalNumberCounters => Set<ApprovalNumberCounter>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<StationKey> StationKeys => Set<StationKey>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<Record> Records => Set<Record>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();
    public DbSet<AccessDecision> AccessDecisions => Set<AccessDecision>();
    public DbSet<AccessDecisionRecord> AccessDecisionRecords => Set<AccessDecisionRecord>();
    public DbSet<AccessGrant> AccessGrants => Set<AccessGrant>();
    public DbSet<ConfidentialityChange> ConfidentialityChanges => Set<ConfidentialityChange>();
    public DbSet<EnforcementSession> Sessions => Set<EnforcementSession>();
    public DbSet<SessionOfficer> SessionOfficers => Set<SessionOfficer>();
    public DbSet<SessionDevice> SessionDevices => Set<SessionDevice>();
    public DbSet<InterruptionReport> InterruptionReports => Set<InterruptionReport>();
    public DbSet<NoRecordingReport> NoRecordingReports => Set<NoRecordingReport>();
    public DbSet<KeyContentMarker> KeyContentMarkers => Set<KeyContentMarker>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseLink> CaseLinks => Set<CaseLink>();
    public DbSet<EnforcementEvent> EnforcementEvents => Set<EnforcementEvent>();
    public DbSet<RetentionCategory> RetentionCategories => Set<RetentionCategory>();
    public DbSet<RecordRetention> RecordRetentions => Set<RecordRetention>();
    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    public DbSet<PurgeProposal> PurgeProposals => Set<PurgeProposal>();
    public DbSet<Derivative> Derivatives => Set<Derivative>();
    public DbSet<Accounts.FormSubmission> FormSubmissions => Set<Accounts.FormSubmission>();
    public DbSet<LedgerPending> LedgerPending => Set<LedgerPending>();
    public DbSet<LedgerLeaf> LedgerLeaves => Set<LedgerLeaf>();
    public DbSet<LedgerNode> LedgerNodes => Set<LedgerNode>();
    public DbSet<LedgerCheckpoint> LedgerCheckpoints => Set<LedgerCheckpoint>();
    public DbSet<Exports.EvidenceExport> EvidenceExports => Set<Exports.EvidenceExport>();
    public DbSet<Exports.EvidenceExportRecord> EvidenceExportRecords => Set<Exports.EvidenceExportRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (timeStorage == TimeStorage.UtcTicks)
            // No time type (SQLite): storing UTC ticks keeps comparisons and ordering in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        else
            // PostgreSQL timestamptz takes UTC only; device times arrive with their own offsets.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<string>().HaveMaxLength(256);
    }

    /// <summary>Each feature's tables are configured in its own folder (Accounts/AccountsConfiguration.cs, …).</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AvLedgerDb).Assembly);

    sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);

    sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
