using AvLedger.Core.Accounts;
using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Sessions;

/// <summary>HTTP face of <see cref="NoRecordingReports"/>.</summary>
public static class NoRecordingReportsApi
{
    public sealed record Created(string Id);

    public static void MapNoRecordingReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/no-recording-reports").WithParameter("id", "未录制报告编号");
        group.MapPost("", async (NoRecordingReports.NewReport r, CurrentUser user, NoRecordingReports reports, CancellationToken ct) =>
                (await reports.CreateAsync(user.Scope, r, ct)).AsCreated(report => $"/api/v1/no-recording-reports/{report.Id}", report => new Created(report.Id)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Officer)))
            .WithSummary("报告未录制（不宜或无法录制）")
            .WithDescription("不宜或无法录制的执法活动，向部门负责人报告并在书面记录中注明（第十一条）。");
        group.MapGet("", async (CurrentUser user, NoRecordingReports reports, CancellationToken ct, bool? acknowledged = null) =>
                TypedResults.Ok(await reports.ListAsync(user.Scope, acknowledged, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Officer), nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)))
            .WithSummary("未录制报告列表")
            .WithParameter("acknowledged", "true 只列部门负责人已确认的，false 只列未确认的");
        group.MapPost("/{id}/ack", async (string id, CurrentUser user, NoRecordingReports reports, CancellationToken ct) =>
                (await reports.AcknowledgeAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
            .WithSummary("确认未录制报告（部门负责人）");
    }
}
