using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Jobs;

public sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.HasIndex(j => new { j.State, j.NotBefore });
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Property(j => j.LastError).HasMaxLength(2000);
    }
}
