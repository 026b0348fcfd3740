using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Ledger;

public sealed class LedgerPendingConfiguration : IEntityTypeConfiguration<LedgerPending>
{
    public void Configure(EntityTypeBuilder<LedgerPending> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Property(p => p.Leaf).HasMaxLength(8192);
        builder.Property(p => p.AuditEventId).HasMaxLength(26);
    }
}

public sealed class LedgerLeafConfiguration : IEntityTypeConfiguration<LedgerLeaf>
{
    public void Configure(EntityTypeBuilder<LedgerLeaf> builder)
    {
        builder.HasKey(l => l.Index);
        builder.Property(l => l.Index).ValueGeneratedNever();
        builder.Property(l => l.Leaf).HasMaxLength(8192);
        builder.Property(l => l.Hash).HasMaxLength(32);
        builder.Property(l => l.RecordId).HasMaxLength(26);
        builder.HasIndex(l => new { l.RecordId, l.Index });
        builder.Property(l => l.AuditEventId).HasMaxLength(26);
        builder.HasIndex(l => l.AuditEventId);
    }
}

public sealed class LedgerNodeConfiguration : IEntityTypeConfiguration<LedgerNode>
{
    public void Configure(EntityTypeBuilder<LedgerNode> builder)
    {
        builder.HasKey(n => n.Key);
        builder.Property(n => n.Key).ValueGeneratedNever();
        builder.Property(n => n.Hash).HasMaxLength(32);
    }
}

public sealed class LedgerCheckpointConfiguration : IEntityTypeConfiguration<LedgerCheckpoint>
{
    public void Configure(EntityTypeBuilder<LedgerCheckpoint> builder)
    {
        builder.HasKey(c => c.TreeSize);
        builder.Property(c => c.TreeSize).ValueGeneratedNever();
        builder.Property(c => c.Note).HasMaxLength(4000);
    }
}
