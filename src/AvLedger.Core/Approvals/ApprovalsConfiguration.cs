using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Approvals;

public sealed class ApprovalNumberCounterConfiguration : IEntityTypeConfiguration<ApprovalNumberCounter>
{
    public void Configure(EntityTypeBuilder<ApprovalNumberCounter> builder)
    {
        builder.HasKey(c => new { c.UnitId, c.Year });
        builder.Property(c => c.UnitId).HasMaxLength(26);
    }
}

public sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.HasIndex(r => new { r.RequesterId, r.CreatedAt });
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.Property(r => r.Target).HasMaxLength(4000);
        builder.HasMany(r => r.Decisions).WithOne(d => d.Request).HasForeignKey(d => d.RequestId);
        builder.OwnsOne(r => r.Provision, p =>
        {
            p.Property(x => x.RecipientOrganisation).HasMaxLength(500);
            p.Property(x => x.RecipientPerson).HasMaxLength(200);
            p.Property(x => x.LegalBasis).HasMaxLength(2000);
        });
    }
}

public sealed class AccessDecisionConfiguration : IEntityTypeConfiguration<AccessDecision>
{
    public void Configure(EntityTypeBuilder<AccessDecision> builder)
    {
        builder.HasIndex(d => new { d.DecidingUnitId, d.State });
        builder.HasIndex(d => d.Number).IsUnique();
        builder.Property(d => d.Opinion).HasMaxLength(2000);
        builder.Property(d => d.ConsultOpinion).HasMaxLength(2000);
        builder.HasMany(d => d.Records).WithOne(r => r.Decision).HasForeignKey(r => r.DecisionId);
        builder.HasOne(d => d.Grant).WithOne(g => g.Decision).HasForeignKey<AccessGrant>(g => g.DecisionId);
    }
}

public sealed class AccessDecisionRecordConfiguration : IEntityTypeConfiguration<AccessDecisionRecord>
{
    public void Configure(EntityTypeBuilder<AccessDecisionRecord> builder)
    {
        builder.HasKey(r => new { r.DecisionId, r.RecordId });
        builder.HasIndex(r => r.RecordId);
        builder.HasOne(r => r.Record).WithMany(r => r.Approvals).HasForeignKey(r => r.RecordId);
    }
}

public sealed class AccessGrantConfiguration : IEntityTypeConfiguration<AccessGrant>
{
    public void Configure(EntityTypeBuilder<AccessGrant> builder)
    {
        builder.HasIndex(g => new { g.GranteeId, g.ExpiresAt });
        builder.HasIndex(g => g.DecisionId).IsUnique();
    }
}
