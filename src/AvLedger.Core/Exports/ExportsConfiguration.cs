using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Exports;

public sealed class EvidenceExportConfiguration : IEntityTypeConfiguration<EvidenceExport>
{
    public void Configure(EntityTypeBuilder<EvidenceExport> builder)
    {
        builder.HasIndex(x => x.RequesterId);
        builder.HasIndex(x => x.ProvisionId);
        builder.Property(x => x.Purpose).HasMaxLength(2000);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.Property(x => x.ReceiptFileName).HasMaxLength(255);
        builder.HasMany(x => x.Records).WithOne().HasForeignKey(r => r.ExportId);
    }
}

public sealed class EvidenceExportRecordConfiguration : IEntityTypeConfiguration<EvidenceExportRecord>
{
    public void Configure(EntityTypeBuilder<EvidenceExportRecord> builder)
    {
        builder.HasKey(r => new { r.ExportId, r.RecordId });
        builder.HasIndex(r => r.RecordId);
    }
}
