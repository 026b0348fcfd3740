using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Retention;

public sealed class RetentionCategoryConfiguration : IEntityTypeConfiguration<RetentionCategory>
{
    public void Configure(EntityTypeBuilder<RetentionCategory> builder)
    {
        builder.HasKey(c => c.Code);
        builder.HasData(RetentionCategories.Defaults);
    }
}

public sealed class RecordRetentionConfiguration : IEntityTypeConfiguration<RecordRetention>
{
    public void Configure(EntityTypeBuilder<RecordRetention> builder) => builder.HasKey(r => new { r.RecordId, r.CategoryCode });
}

public sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> builder)
    {
        builder.HasIndex(h => h.RecordId);
        builder.HasIndex(h => h.CaseId);
        builder.Property(h => h.Reason).HasMaxLength(2000);
    }
}

public sealed class PurgeProposalConfiguration : IEntityTypeConfiguration<PurgeProposal>
{
    public void Configure(EntityTypeBuilder<PurgeProposal> builder)
    {
        builder.HasIndex(p => new { p.State, p.DestroyAfter });
        builder.HasIndex(p => p.RecordId);
        builder.Property(p => p.UnitPath).HasMaxLength(1024);
        builder.Property(p => p.Opinion).HasMaxLength(2000);
    }
}
