using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Accounts;

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.HasIndex(a => a.Username).IsUnique();
        builder.HasIndex(a => a.Badge).IsUnique();
        builder.Property(a => a.Id).HasMaxLength(26);
        // Flags: stored as the number so "holds role X" is a bit test in SQL.
        builder.Property(a => a.Roles).HasConversion<int>();
        builder.HasIndex(a => a.UnitId);
        builder.Ignore(a => a.TotpEnabled);
        builder.Property(a => a.SecurityStamp).HasMaxLength(32);
    }
}

public sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> builder) => builder.HasKey(f => f.Username);
}

public sealed class RoleGrantConfiguration : IEntityTypeConfiguration<RoleGrant>
{
    public void Configure(EntityTypeBuilder<RoleGrant> builder)
    {
        builder.Property(g => g.Id).HasMaxLength(26);
        builder.Property(g => g.AccountId).HasMaxLength(26);
        builder.Property(g => g.ProposedById).HasMaxLength(26);
        builder.Property(g => g.DecidedById).HasMaxLength(26);
        builder.Property(g => g.Roles).HasConversion<int>();
        builder.HasIndex(g => new { g.AccountId, g.State });
        builder.HasIndex(g => new { g.State, g.ProposedAt });
    }
}

public sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.Property(t => t.Id).HasMaxLength(26);
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.HasIndex(t => t.AccountId);
    }
}
