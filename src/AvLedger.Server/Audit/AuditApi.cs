using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Audit;

/// <summary>The audit trail for auditors, so it can be held against the ledger's leaves.</summary>
public static class AuditApi
{
    public const int MaxPageSize = 1000;

    public sealed record AuditEventView(string Id, string Action, string ActorId, string? RecordId, string? SubjectId, string? Detail, DateTimeOffset At, DateTimeOffset LastAt, int Requests, string? Ranges);
    public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, string? Next);

    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").RequireAuthorization(p => p.RequireRole(nameof(Role.Auditor)));
        audit.MapGet("/events", Events);
        return audit;
    }

    /// <summary>Events in id order (ids are time-ordered); pass <c>after</c> = the previous page's <c>next</c>.</summary>
    static async Task<IResult> Events(AvLedgerDb db, CancellationToken ct, string? after = null, int pageSize = 500)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var query = db.AuditEvents.AsNoTracking();
        if (after is not null) query = query.Where(e => e.Id.CompareTo(after) > 0);
        var items = await query.OrderBy(e => e.Id).Take(pageSize)
            .Select(e => new AuditEventView(e.Id, e.Action, e.ActorId, e.RecordId, e.SubjectId, e.Detail, e.At, e.LastAt, e.Requests, e.Ranges)).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage(items, items.Count == pageSize ? items[^1].Id : null));
    }
}
