using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Audit;

/// <summary>The audit trail for auditors, so it can be held against the ledger's leaves.</summary>
public sealed class AuditTrail(AvLedgerDb db)
{
    public const int MaxPageSize = 1000;

    public sealed record AuditEventView(string Id, string Action, string ActorId, string? RecordId, string? SubjectId, string? Detail, DateTimeOffset At, DateTimeOffset LastAt, int Requests, string? Ranges);
    public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, string? Next);

    public static int Clamp(int pageSize) => Math.Clamp(pageSize, 1, MaxPageSize);

    /// <summary>Events in id order (ids are time-ordered); <paramref name="after"/> = the previous page's <c>Next</c>.</summary>
    public async Task<Outcome<AuditPage>> EventsAsync(Scope actor, string? after, int pageSize, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        pageSize = Clamp(pageSize);
        var query = db.AuditEvents.AsNoTracking();
        if (after is not null) query = query.Where(e => e.Id.CompareTo(after) > 0);
        var items = await query.OrderBy(e => e.Id).Take(pageSize)
            .Select(e => new AuditEventView(e.Id, e.Action, e.ActorId, e.RecordId, e.SubjectId, e.Detail, e.At, e.LastAt, e.Requests, e.Ranges)).ToListAsync(ct);
        return new AuditPage(items, items.Count == pageSize ? items[^1].Id : null);
    }
}
