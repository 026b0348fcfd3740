using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Refusals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Approvals;

/// <summary>HTTP face of <see cref="AccessRequestDesk"/> and <see cref="WrittenApprovals"/>: access
/// requests, their per-unit written approvals, and the grants they open (Art. 17).</summary>
public static class AccessRequestsApi
{
    /// <summary>A written decision as sent: the opinion and the decider's confirmation (also for confidentiality changes and purges).</summary>
    public sealed record Decide(string? Opinion, string? Password, bool? WithoutConsultation = null, string? Totp = null);

    public sealed record Created(string Id);

    public static void MapAccessRequests(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/v1/access-requests").RequireAuthorization().WithParameter("id", "调阅/复制申请编号");
        requests.MapPost("/", async (AccessRequestDesk.NewRequest r, CurrentUser user, AccessRequestDesk desk, CancellationToken ct) =>
            (await desk.CreateAsync(user.Scope, r, ct)).AsCreated(request => $"/api/v1/access-requests/{request.Id}", request => new Created(request.Id)))
            .WithSummary("申请调阅/复制（超出本人权限）")
            .WithDescription("超出权限调阅或复制录像须经部门负责人书面批准（第十七条）。");
        requests.MapGet("/", async (CurrentUser user, AccessRequestDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.MineAsync(user.Scope, ct))).WithSummary("本人的调阅/复制申请");
        requests.MapGet("/{id}", async (string id, CurrentUser user, AccessRequestDesk desk, CancellationToken ct) => (await desk.GetAsync(user.Scope, id, ct)).AsOk()).WithSummary("调阅/复制申请详情");
        requests.MapPost("/{id}/approve", (string id, Decide d, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            DecideAsync(id, approve: true, provision: false, d, user, approvals, ct))
            .WithSummary("书面批准调阅/复制申请（部门负责人）")
            .WithDescription("须提交审批意见和本人密码（或一次性验证码）作为书面确认。");
        requests.MapPost("/{id}/reject", (string id, Decide d, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            DecideAsync(id, approve: false, provision: false, d, user, approvals, ct))
            .WithSummary("驳回调阅/复制申请（部门负责人）")
            .WithDescription("须提交审批意见和本人密码（或一次性验证码）作为书面确认。");
        app.MapPost("/api/v1/access-grants/{id}/revoke", async (string id, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            (await approvals.RevokeAsync(user.Scope, id, ct)).AsNoContent()).RequireAuthorization()
            .WithSummary("撤销调阅/复制授权")
            .WithParameter("id", "授权编号");
        app.MapGet("/api/v1/approvals", async (CurrentUser user, WrittenApprovals approvals, CancellationToken ct) => TypedResults.Ok(await approvals.InboxAsync(user.Scope, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
            .WithSummary("待本人书面批准的事项（部门负责人）");
    }

    internal static async Task<Results<Ok<WrittenApprovals.DecideResult>, ProblemHttpResult>> DecideAsync(string id, bool approve, bool provision, Decide d, CurrentUser user,
        WrittenApprovals approvals, CancellationToken ct) =>
        (await approvals.DecideAsync(user.Scope, id, approve, provision, d.Opinion, d.WithoutConsultation == true, new Confirmation(d.Password, d.Totp), ct)).AsOk();
}
