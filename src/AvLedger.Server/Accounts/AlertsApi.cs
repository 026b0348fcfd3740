using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Accounts;

/// <summary>The administration alert list: every account creation, role grant, password reset,
/// disablement and refused self-grant, newest first — for administrators and auditors to review.</summary>
public static class AlertsApi
{
    public sealed record Alert(string Id, DateTimeOffset At, string Action, string ActorId, string? Actor, string? SubjectId, string? Subject, string? Detail);

    public static void MapAdministrationAlerts(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/admin/alerts", async (AvLedgerDb db, CancellationToken ct, int take = 200) =>
            TypedResults.Ok(await db.AuditEvents.AsNoTracking()
                .Where(e => AuditActions.Administration.Contains(e.Action))
                .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
                .Take(Math.Clamp(take, 1, 1000))
                .Select(e => new Alert(e.Id, e.At, e.Action, e.ActorId,
                    db.Accounts.Where(a => a.Id == e.ActorId).Select(a => a.Username).FirstOrDefault(),
                    e.SubjectId,
                    db.Accounts.Where(a => a.Id == e.SubjectId).Select(a => a.Username).FirstOrDefault(),
                    e.Detail))
                .ToListAsync(ct)))
        .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.Auditor)))
            .WithSummary("管理操作提醒（账户、角色与授权的变更）")
            .WithParameter("take", "条数，1–1000，默认 200");
}
