using AvLedger.Core.Accounts;
using AvLedger.Core.Compliance;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Compliance;

/// <summary>HTTP face of <see cref="LateSaves"/>.</summary>
public static class LateSavesApi
{
    public sealed record Reason(string? Text);
    public sealed record Opinion(string? Text);

    public static void MapLateSaves(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/late-save-reason", async (string id, Reason r, CurrentUser user, LateSaves lateSaves, CancellationToken ct) =>
            (await lateSaves.GiveReasonAsync(user.Scope, id, r.Text, ct)).AsNoContent()).RequireAuthorization()
            .WithSummary("填写逾期保存原因")
            .WithDescription("录像在录制结束 24 小时后才保存的，须说明原因（第十二条）。")
            .WithParameter("id", "录像编号");
        app.MapPost("/api/v1/records/{id}/late-save-ack", async (string id, CurrentUser user, LateSaves lateSaves, CancellationToken ct) =>
                (await lateSaves.AcknowledgeAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
            .WithSummary("确认逾期保存原因（部门负责人）")
            .WithParameter("id", "录像编号");
        app.MapPost("/api/v1/records/{id}/late-save-return", async (string id, Opinion o, CurrentUser user, LateSaves lateSaves, CancellationToken ct) =>
                (await lateSaves.ReturnAsync(user.Scope, id, o.Text, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
            .WithSummary("退回逾期保存原因（部门负责人）")
            .WithDescription("附意见退回，执法人员须重新说明。")
            .WithParameter("id", "录像编号");
        app.MapGet("/api/v1/compliance/late-saves", async (CurrentUser user, LateSaves lateSaves, CancellationToken ct, string? state = null) =>
                TypedResults.Ok(await lateSaves.ListAsync(user.Scope, state, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)))
            .WithSummary("逾期保存的录像（超过 24 小时）")
            .WithParameter("state", "状态：awaiting-reason（待说明原因）、returned（已退回）、awaiting-acknowledgement（待确认）、acknowledged（已确认）；缺省为全部");
    }
}
