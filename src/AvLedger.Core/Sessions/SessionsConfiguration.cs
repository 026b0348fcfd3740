using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Sessions;

public sealed class EnforcementSessionConfiguration : IEntityTypeConfiguration<EnforcementSession>
{
    public void Configure(EntityTypeBuilder<EnforcementSession> builder)
    {
        builder.HasIndex(s => new { s.UnitPath, s.Start });
        builder.HasIndex(s => s.End);
        builder.Property(s => s.UnitPath).HasMaxLength(1024);
        builder.Property(s => s.Location).HasMaxLength(500);
        builder.Property(s => s.Title).HasMaxLength(500);
        builder.HasMany(s => s.Officers).WithOne().HasForeignKey(o => o.SessionId);
        builder.HasMany(s => s.Devices).WithOne().HasForeignKey(d => d.SessionId);
    }
}

public sealed class SessionOfficerConfiguration : IEntityTypeConfiguration<SessionOfficer>
{
    public void Configure(EntityTypeBuilder<SessionOfficer> builder)
    {
        builder.HasKey(o => new { o.SessionId, o.AccountId });
        builder.HasIndex(o => o.AccountId);
    }
}

public sealed class SessionDeviceConfiguration : IEntityTypeConfiguration<SessionDevice>
{
    public void Configure(EntityTypeBuilder<SessionDevice> builder)
    {
        builder.HasKey(d => new { d.SessionId, d.DeviceCode });
        builder.HasIndex(d => d.DeviceCode);
    }
}

public sealed class InterruptionReportConfiguration : IEntityTypeConfiguration<InterruptionReport>
{
    public void Configure(EntityTypeBuilder<InterruptionReport> builder)
    {
        builder.HasIndex(r => r.SessionId);
        builder.Property(r => r.DocumentNote).HasMaxLength(2000);
    }
}

public sealed class NoRecordingReportConfiguration : IEntityTypeConfiguration<NoRecordingReport>
{
    public void Configure(EntityTypeBuilder<NoRecordingReport> builder)
    {
        builder.HasIndex(r => new { r.UnitPath, r.From });
        builder.HasIndex(r => r.OfficerId);
        builder.Property(r => r.UnitPath).HasMaxLength(1024);
        builder.Property(r => r.Place).HasMaxLength(500);
        builder.Property(r => r.Note).HasMaxLength(2000);
    }
}

public sealed class KeyContentMarkerConfiguration : IEntityTypeConfiguration<KeyContentMarker>
{
    public void Configure(EntityTypeBuilder<KeyContentMarker> builder)
    {
        builder.HasIndex(m => new { m.RecordId, m.OffsetSeconds });
        builder.Property(m => m.Note).HasMaxLength(2000);
    }
}
