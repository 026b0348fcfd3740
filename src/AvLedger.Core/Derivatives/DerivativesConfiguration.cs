using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Derivatives;

public sealed class DerivativeConfiguration : IEntityTypeConfiguration<Derivative>
{
    public void Configure(EntityTypeBuilder<Derivative> builder)
    {
        builder.HasIndex(d => d.OriginalId);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.Property(d => d.Error).HasMaxLength(2000);
    }
}
