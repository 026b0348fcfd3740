using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AvLedger.Core.Accounts;

/// <summary>A web form a person has sent, by the one-time token the form carried: a refresh or a double
/// click sends the token again, and the second sending does nothing.</summary>
public sealed class FormSubmission
{
    public required string Token { get; init; }
    public required string AccountId { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed class FormSubmissionConfiguration : IEntityTypeConfiguration<FormSubmission>
{
    public void Configure(EntityTypeBuilder<FormSubmission> builder)
    {
        builder.HasKey(f => f.Token);
        builder.Property(f => f.Token).HasMaxLength(FormSubmissions.TokenLength);
        builder.Property(f => f.AccountId).HasMaxLength(26);
        builder.HasIndex(f => new { f.AccountId, f.At });
    }
}

/// <summary>Claims a form's one-time token for its sender, once; several nodes share the claim through the database.</summary>
public sealed class FormSubmissions(AvLedgerDb db)
{
    public const int TokenLength = 32;

    /// <summary>How long a token is remembered: longer than anyone keeps a page open before sending it again.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(2);

    /// <summary>True the first time <paramref name="token"/> is sent by <paramref name="accountId"/>; false when it
    /// was sent before, by anyone.</summary>
    public async Task<bool> ClaimAsync(string accountId, string token, DateTimeOffset now, CancellationToken ct)
    {
        if (token.Length != TokenLength || !token.All(char.IsAsciiHexDigitLower)) return false;
        await db.FormSubmissions.Where(f => f.AccountId == accountId && f.At < now - Remembered).ExecuteDeleteAsync(ct);
        db.FormSubmissions.Add(new FormSubmission { Token = token, AccountId = accountId, At = now });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another request with the same token won the insert: this one is the repeat.
            return false;
        }
    }
}
