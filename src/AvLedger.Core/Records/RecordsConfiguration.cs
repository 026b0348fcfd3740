using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Records;

public sealed class RecordConfiguration : IEntityTypeConfiguration<Record>
{
    public void Configure(EntityTypeBuilder<Record> builder)
    {
        builder.HasIndex(r => r.Sha256).IsUnique();
        builder.HasIndex(r => r.RecordedStart);
        builder.HasIndex(r => new { r.OfficerBadge, r.RecordedStart });
        builder.HasIndex(r => new { r.DeviceCode, r.RecordedStart });
        builder.HasIndex(r => new { r.UnitPath, r.RecordedStart });
        builder.HasIndex(r => new { r.OfficerId, r.RecordedStart });
        builder.Property(r => r.Sha256).HasMaxLength(64);
        builder.Property(r => r.UnitPath).HasMaxLength(1024);
        builder.Property(r => r.LateSaveReason).HasMaxLength(2000);
        builder.Property(r => r.LateSaveReturnOpinion).HasMaxLength(2000);
        builder.HasIndex(r => new { r.SessionId, r.RecordedStart });
        builder.HasOne(r => r.Session).WithMany().HasForeignKey(r => r.SessionId);
    }
}

public sealed class ConfidentialityChangeConfiguration : IEntityTypeConfiguration<ConfidentialityChange>
{
    public void Configure(EntityTypeBuilder<ConfidentialityChange> builder)
    {
        builder.HasIndex(c => new { c.DecidingUnitId, c.State });
        builder.HasIndex(c => c.RecordId);
        builder.Property(c => c.Reason).HasMaxLength(2000);
        builder.Property(c => c.Opinion).HasMaxLength(2000);
    }
}
