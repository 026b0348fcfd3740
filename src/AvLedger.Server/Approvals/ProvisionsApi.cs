using AvLedger.Core.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Approvals;

/// <summary>HTTP face of external provision (Art. 17): records leave the system only with the owning
/// unit's head's written approval, who may first consult the superior unit's head. Approval opens the
/// evidence export of those records to the requester, and nothing else.</summary>
public static class ProvisionsApi
{
    public sealed record Consultation(string? Opinion, string? Password, string? Totp = null);

    public static void MapProvisions(this IEndpointRouteBuilder app)
    {
        var provisions = app.MapGroup("/api/v1/provisions").RequireAuthorization().WithParameter("id", "对外提供申请编号");
        provisions.MapPost("/", async (AccessRequestDesk.NewProvision p, CurrentUser user, AccessRequestDesk desk, CancellationToken ct) =>
            (await desk.ProvideAsync(user.Scope, p, ct)).AsCreated(request => $"/api/v1/provisions/{request.Id}", request => new AccessRequestsApi.Created(request.Id)))
            .WithSummary("申请对外提供录像")
            .WithDescription("对外提供须经部门负责人书面批准；重大、复杂或敏感事项可征求上级部门意见（第十七条）。");
        provisions.MapGet("/{id}", async (string id, CurrentUser user, AccessRequestDesk desk, CancellationToken ct) => (await desk.GetProvisionAsync(user.Scope, id, ct)).AsOk()).WithSummary("对外提供申请详情");
        provisions.MapPost("/{id}/consult", async (string id, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            (await approvals.ConsultAsync(user.Scope, id, ct)).AsOk())
            .WithSummary("征求上级部门意见（部门负责人）");
        provisions.MapPost("/{id}/consultation", async (string id, Consultation c, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            (await approvals.AnswerAsync(user.Scope, id, c.Opinion, new Confirmation(c.Password, c.Totp), ct)).AsNoContent())
            .WithSummary("上级部门答复意见");
        provisions.MapPost("/{id}/approve", (string id, AccessRequestsApi.Decide d, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            AccessRequestsApi.DecideAsync(id, approve: true, provision: true, d, user, approvals, ct))
            .WithSummary("书面批准对外提供（部门负责人）");
        provisions.MapPost("/{id}/reject", (string id, AccessRequestsApi.Decide d, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            AccessRequestsApi.DecideAsync(id, approve: false, provision: true, d, user, approvals, ct))
            .WithSummary("驳回对外提供（部门负责人）");
    }
}
