using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Ingest;

public sealed class UploadConfiguration : IEntityTypeConfiguration<Upload>
{
    public void Configure(EntityTypeBuilder<Upload> builder)
    {
        builder.HasIndex(u => new { u.State, u.ExpiresAt });
        builder.Property(u => u.FileName).HasMaxLength(255);
        builder.Property(u => u.Sha256).HasMaxLength(64);
    }
}
