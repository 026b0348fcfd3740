using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Audit;

/// <summary>The audit trail for auditors: <see cref="AuditTrail"/>.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/v1/audit").RequireAuthorization(p => p.RequireRole(nameof(Role.Auditor)));
        audit.MapGet("/events", Events)
            .WithSummary("审计事件（审计人员，按顺序分页）")
            .WithParameter("after", "上一页最后一个事件的编号；缺省从头开始")
            .WithParameter("pageSize", "每页条数（默认 500）");
        return audit;
    }

    static async Task<Results<Ok<AuditTrail.AuditPage>, ProblemHttpResult>> Events(CurrentUser user, AuditTrail trail, CancellationToken ct, string? after = null, int pageSize = 500) =>
        (await trail.EventsAsync(user.Scope, after, pageSize, ct)).AsOk();
}
