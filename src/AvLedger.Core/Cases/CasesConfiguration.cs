using AvLedger.Core.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Cases;

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.HasIndex(c => c.Number).IsUnique();
        builder.HasIndex(c => c.UnitPath);
        builder.Property(c => c.UnitPath).HasMaxLength(1024);
        builder.Property(c => c.Title).HasMaxLength(500);
        builder.Property(c => c.Plates).HasMaxLength(1000);
        builder.Property(c => c.Parties).HasMaxLength(1000);
        builder.HasMany(c => c.Links).WithOne(l => l.Case).HasForeignKey(l => l.CaseId);
    }
}

public sealed class CaseLinkConfiguration : IEntityTypeConfiguration<CaseLink>
{
    public void Configure(EntityTypeBuilder<CaseLink> builder)
    {
        builder.HasIndex(l => new { l.CaseId, l.RecordId });
        builder.HasIndex(l => l.RecordId);
        builder.HasIndex(l => l.SessionId);
        builder.Property(l => l.Reason).HasMaxLength(1000);
        builder.HasOne<Record>().WithMany(r => r.CaseLinks).HasForeignKey(l => l.RecordId);
    }
}

public sealed class EnforcementEventConfiguration : IEntityTypeConfiguration<EnforcementEvent>
{
    public void Configure(EntityTypeBuilder<EnforcementEvent> builder)
    {
        builder.HasIndex(v => new { v.OfficerBadge, v.Start });
        builder.HasIndex(v => v.ExternalId).IsUnique();
        builder.Property(v => v.Place).HasMaxLength(500);
    }
}
