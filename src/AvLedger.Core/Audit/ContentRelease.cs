using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AvLedger.Core.Audit;

/// <summary>The one step before any content goes out (an original, a rendition, a clip, a package):
/// a copy counts against the person's hourly copy budget, and every read is audited first — if the
/// audit cannot be written, nothing is served.</summary>
public sealed class ContentRelease(AvLedgerDb db, ILogger<ContentRelease> log)
{
    public static Refusal TooManyCopies { get; } = new(429, "too-many-downloads") { RetryAfter = TimeSpan.FromHours(1) };
    public static Refusal AuditUnavailable { get; } = new(503, "audit-unavailable");

    /// <summary>Null when one more copy of <paramref name="recordId"/> (or package <paramref name="packageId"/>) fits the budget.</summary>
    public async Task<Refusal?> CountCopyAsync(Scope actor, string action, string? recordId, string? packageId, int perHour, CancellationToken ct)
    {
        if (!await CopyAllowance.ExceededAsync(db, actor.Id, action, recordId, packageId, perHour, actor.Now, ct)) return null;
        log.LogWarning("Copy limit reached by account {AccountId}", actor.Id);
        return TooManyCopies;
    }

    /// <summary>The read of <paramref name="range"/> of the record's content, written before any byte goes out.</summary>
    public async Task<Refusal?> AuditFirstAsync(Scope actor, string recordId, string action, string range, CancellationToken ct)
    {
        try
        {
            await ContentAudit.RecordAsync(db, actor.Person, recordId, action, range, actor.Now, ct);
            return null;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            log.LogError(e, "Audit write failed; refusing content read of record {RecordId}", recordId);
            return AuditUnavailable;
        }
    }

    /// <summary>A copy: the budget, then the audit.</summary>
    public async Task<Refusal?> CopyAsync(Scope actor, string recordId, string action, string range, int perHour, CancellationToken ct) =>
        await CountCopyAsync(actor, action, recordId, null, perHour, ct) ?? await AuditFirstAsync(actor, recordId, action, range, ct);
}
