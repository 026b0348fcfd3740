using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Devices;

public sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder) => builder.HasIndex(d => d.Code).IsUnique();
}

public sealed class StationKeyConfiguration : IEntityTypeConfiguration<StationKey>
{
    public void Configure(EntityTypeBuilder<StationKey> builder)
    {
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.Property(k => k.Hash).HasMaxLength(64);
    }
}
