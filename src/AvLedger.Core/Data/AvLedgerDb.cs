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

public sealed class AvLedgerDb(DbContextOptions<AvLedgerDb> options) : DbContext(options)
{
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
    public DbSet<LedgerPending> LedgerPending => Set<LedgerPending>();
    public DbSet<LedgerLeaf> LedgerLeaves => Set<LedgerLeaf>();
    public DbSet<LedgerNode> LedgerNodes => Set<LedgerNode>();
    public DbSet<LedgerCheckpoint> LedgerCheckpoints => Set<LedgerCheckpoint>();
    public DbSet<Exports.EvidenceExport> EvidenceExports => Set<Exports.EvidenceExport>();
    public DbSet<Exports.EvidenceExportRecord> EvidenceExportRecords => Set<Exports.EvidenceExportRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time type; storing UTC ticks keeps comparisons and ordering in SQL.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        else
            // PostgreSQL timestamptz takes UTC only; device times arrive with their own offsets.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<string>().HaveMaxLength(256);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Account>(e =>
        {
            e.HasIndex(a => a.Username).IsUnique();
            e.HasIndex(a => a.Badge).IsUnique();
            e.Property(a => a.Id).HasMaxLength(26);
            // Flags: stored as the number so "holds role X" is a bit test in SQL.
            e.Property(a => a.Roles).HasConversion<int>();
            e.HasIndex(a => a.UnitId);
            e.Ignore(a => a.TotpEnabled);
            e.Property(a => a.SecurityStamp).HasMaxLength(32);
        });
        modelBuilder.Entity<SignInFailure>(e => e.HasKey(f => f.Username));
        modelBuilder.Entity<RoleGrant>(e =>
        {
            e.Property(g => g.Id).HasMaxLength(26);
            e.Property(g => g.AccountId).HasMaxLength(26);
            e.Property(g => g.ProposedById).HasMaxLength(26);
            e.Property(g => g.DecidedById).HasMaxLength(26);
            e.Property(g => g.Roles).HasConversion<int>();
            e.HasIndex(g => new { g.AccountId, g.State });
            e.HasIndex(g => new { g.State, g.ProposedAt });
        });
        modelBuilder.Entity<ApprovalNumberCounter>(e =>
        {
            e.HasKey(c => new { c.UnitId, c.Year });
            e.Property(c => c.UnitId).HasMaxLength(26);
        });
        modelBuilder.Entity<RefreshToken>(e =>
        {
            e.Property(t => t.Id).HasMaxLength(26);
            e.HasIndex(t => t.Hash).IsUnique();
            e.Property(t => t.Hash).HasMaxLength(64);
            e.HasIndex(t => t.AccountId);
        });
        modelBuilder.Entity<Unit>(e =>
        {
            e.HasIndex(u => u.Code).IsUnique();
            e.HasIndex(u => u.Path);
            e.Property(u => u.Path).HasMaxLength(1024);
        });
        modelBuilder.Entity<Device>(e => e.HasIndex(d => d.Code).IsUnique());
        modelBuilder.Entity<StationKey>(e =>
        {
            e.HasIndex(k => k.Hash).IsUnique();
            e.Property(k => k.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<Upload>(e =>
        {
            e.HasIndex(u => new { u.State, u.ExpiresAt });
            e.Property(u => u.FileName).HasMaxLength(255);
            e.Property(u => u.Sha256).HasMaxLength(64);
        });
        modelBuilder.Entity<Record>(e =>
        {
            e.HasIndex(r => r.Sha256).IsUnique();
            e.HasIndex(r => r.RecordedStart);
            e.HasIndex(r => new { r.OfficerBadge, r.RecordedStart });
            e.HasIndex(r => new { r.DeviceCode, r.RecordedStart });
            e.HasIndex(r => new { r.UnitPath, r.RecordedStart });
            e.HasIndex(r => new { r.OfficerId, r.RecordedStart });
            e.Property(r => r.Sha256).HasMaxLength(64);
            e.Property(r => r.UnitPath).HasMaxLength(1024);
            e.Property(r => r.LateSaveReason).HasMaxLength(2000);
            e.Property(r => r.LateSaveReturnOpinion).HasMaxLength(2000);
            e.HasIndex(r => new { r.SessionId, r.RecordedStart });
            e.HasOne(r => r.Session).WithMany().HasForeignKey(r => r.SessionId);
        });
        modelBuilder.Entity<EnforcementSession>(e =>
        {
            e.HasIndex(s => new { s.UnitPath, s.Start });
            e.HasIndex(s => s.End);
            e.Property(s => s.UnitPath).HasMaxLength(1024);
            e.Property(s => s.Location).HasMaxLength(500);
            e.Property(s => s.Title).HasMaxLength(500);
            e.HasMany(s => s.Officers).WithOne().HasForeignKey(o => o.SessionId);
            e.HasMany(s => s.Devices).WithOne().HasForeignKey(d => d.SessionId);
        });
        modelBuilder.Entity<SessionOfficer>(e =>
        {
            e.HasKey(o => new { o.SessionId, o.AccountId });
            e.HasIndex(o => o.AccountId);
        });
        modelBuilder.Entity<SessionDevice>(e =>
        {
            e.HasKey(d => new { d.SessionId, d.DeviceCode });
            e.HasIndex(d => d.DeviceCode);
        });
        modelBuilder.Entity<InterruptionReport>(e =>
        {
            e.HasIndex(r => r.SessionId);
            e.Property(r => r.DocumentNote).HasMaxLength(2000);
        });
        modelBuilder.Entity<NoRecordingReport>(e =>
        {
            e.HasIndex(r => new { r.UnitPath, r.From });
            e.HasIndex(r => r.OfficerId);
            e.Property(r => r.UnitPath).HasMaxLength(1024);
            e.Property(r => r.Place).HasMaxLength(500);
            e.Property(r => r.Note).HasMaxLength(2000);
        });
        modelBuilder.Entity<KeyContentMarker>(e =>
        {
            e.HasIndex(m => new { m.RecordId, m.OffsetSeconds });
            e.Property(m => m.Note).HasMaxLength(2000);
        });
        modelBuilder.Entity<Case>(e =>
        {
            e.HasIndex(c => c.Number).IsUnique();
            e.HasIndex(c => c.UnitPath);
            e.Property(c => c.UnitPath).HasMaxLength(1024);
            e.Property(c => c.Title).HasMaxLength(500);
            e.Property(c => c.Plates).HasMaxLength(1000);
            e.Property(c => c.Parties).HasMaxLength(1000);
            e.HasMany(c => c.Links).WithOne(l => l.Case).HasForeignKey(l => l.CaseId);
        });
        modelBuilder.Entity<CaseLink>(e =>
        {
            e.HasIndex(l => new { l.CaseId, l.RecordId });
            e.HasIndex(l => l.RecordId);
            e.HasIndex(l => l.SessionId);
            e.Property(l => l.Reason).HasMaxLength(1000);
            e.HasOne<Record>().WithMany(r => r.CaseLinks).HasForeignKey(l => l.RecordId);
        });
        modelBuilder.Entity<EnforcementEvent>(e =>
        {
            e.HasIndex(v => new { v.OfficerBadge, v.Start });
            e.HasIndex(v => v.ExternalId).IsUnique();
            e.Property(v => v.Place).HasMaxLength(500);
        });
        modelBuilder.Entity<RetentionCategory>(e =>
        {
            e.HasKey(c => c.Code);
            e.HasData(Retention.RetentionCategories.Defaults);
        });
        modelBuilder.Entity<RecordRetention>(e => e.HasKey(r => new { r.RecordId, r.CategoryCode }));
        modelBuilder.Entity<LegalHold>(e =>
        {
            e.HasIndex(h => h.RecordId);
            e.HasIndex(h => h.CaseId);
            e.Property(h => h.Reason).HasMaxLength(2000);
        });
        modelBuilder.Entity<PurgeProposal>(e =>
        {
            e.HasIndex(p => new { p.State, p.DestroyAfter });
            e.HasIndex(p => p.RecordId);
            e.Property(p => p.UnitPath).HasMaxLength(1024);
            e.Property(p => p.Opinion).HasMaxLength(2000);
        });
        modelBuilder.Entity<Derivative>(e =>
        {
            e.HasIndex(d => d.OriginalId);
            e.Property(d => d.Sha256).HasMaxLength(64);
            e.Property(d => d.Error).HasMaxLength(2000);
        });
        modelBuilder.Entity<AuditEvent>(e =>
        {
            e.HasIndex(a => new { a.ActorId, a.RecordId, a.Action, a.LastAt });
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.Action, a.At });
            e.Property(a => a.Ranges).HasMaxLength(2000);
        });
        modelBuilder.Entity<LedgerPending>(e =>
        {
            e.Property(p => p.Id).ValueGeneratedOnAdd();
            e.Property(p => p.Leaf).HasMaxLength(8192);
        });
        modelBuilder.Entity<LedgerLeaf>(e =>
        {
            e.HasKey(l => l.Index);
            e.Property(l => l.Index).ValueGeneratedNever();
            e.Property(l => l.Leaf).HasMaxLength(8192);
            e.Property(l => l.Hash).HasMaxLength(32);
            e.Property(l => l.RecordId).HasMaxLength(26);
            e.HasIndex(l => new { l.RecordId, l.Index });
        });
        modelBuilder.Entity<Exports.EvidenceExport>(e =>
        {
            e.HasIndex(x => x.RequesterId);
            e.HasIndex(x => x.ProvisionId);
            e.Property(x => x.Purpose).HasMaxLength(2000);
            e.Property(x => x.Error).HasMaxLength(2000);
            e.Property(x => x.ReceiptFileName).HasMaxLength(255);
            e.HasMany(x => x.Records).WithOne().HasForeignKey(r => r.ExportId);
        });
        modelBuilder.Entity<Exports.EvidenceExportRecord>(e =>
        {
            e.HasKey(r => new { r.ExportId, r.RecordId });
            e.HasIndex(r => r.RecordId);
        });
        modelBuilder.Entity<LedgerNode>(e =>
        {
            e.HasKey(n => n.Key);
            e.Property(n => n.Key).ValueGeneratedNever();
            e.Property(n => n.Hash).HasMaxLength(32);
        });
        modelBuilder.Entity<LedgerCheckpoint>(e =>
        {
            e.HasKey(c => c.TreeSize);
            e.Property(c => c.TreeSize).ValueGeneratedNever();
            e.Property(c => c.Note).HasMaxLength(4000);
        });
        modelBuilder.Entity<AccessRequest>(e =>
        {
            e.HasIndex(r => new { r.RequesterId, r.CreatedAt });
            e.Property(r => r.Reason).HasMaxLength(2000);
            e.Property(r => r.Target).HasMaxLength(4000);
            e.HasMany(r => r.Decisions).WithOne(d => d.Request).HasForeignKey(d => d.RequestId);
            e.OwnsOne(r => r.Provision, p =>
            {
                p.Property(x => x.RecipientOrganisation).HasMaxLength(500);
                p.Property(x => x.RecipientPerson).HasMaxLength(200);
                p.Property(x => x.LegalBasis).HasMaxLength(2000);
            });
        });
        modelBuilder.Entity<AccessDecision>(e =>
        {
            e.HasIndex(d => new { d.DecidingUnitId, d.State });
            e.HasIndex(d => d.Number).IsUnique();
            e.Property(d => d.Opinion).HasMaxLength(2000);
            e.Property(d => d.ConsultOpinion).HasMaxLength(2000);
            e.HasMany(d => d.Records).WithOne(r => r.Decision).HasForeignKey(r => r.DecisionId);
            e.HasOne(d => d.Grant).WithOne(g => g.Decision).HasForeignKey<AccessGrant>(g => g.DecisionId);
        });
        modelBuilder.Entity<AccessDecisionRecord>(e =>
        {
            e.HasKey(r => new { r.DecisionId, r.RecordId });
            e.HasIndex(r => r.RecordId);
            e.HasOne(r => r.Record).WithMany(r => r.Approvals).HasForeignKey(r => r.RecordId);
        });
        modelBuilder.Entity<AccessGrant>(e =>
        {
            e.HasIndex(g => new { g.GranteeId, g.ExpiresAt });
            e.HasIndex(g => g.DecisionId).IsUnique();
        });
        modelBuilder.Entity<ConfidentialityChange>(e =>
        {
            e.HasIndex(c => new { c.DecidingUnitId, c.State });
            e.HasIndex(c => c.RecordId);
            e.Property(c => c.Reason).HasMaxLength(2000);
            e.Property(c => c.Opinion).HasMaxLength(2000);
        });
        modelBuilder.Entity<Job>(e =>
        {
            e.HasIndex(j => new { j.State, j.NotBefore });
            e.Property(j => j.Version).IsConcurrencyToken();
            e.Property(j => j.LastError).HasMaxLength(2000);
        });
    }

    sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);

    sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
