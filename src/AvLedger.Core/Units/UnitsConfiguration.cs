using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Units;

public sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.HasIndex(u => u.Code).IsUnique();
        builder.HasIndex(u => u.Path);
        builder.Property(u => u.Path).HasMaxLength(1024);
        builder.Property(u => u.ShortName).HasMaxLength(UnitTree.MaxShortName);
    }
}
