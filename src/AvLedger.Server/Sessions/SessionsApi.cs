using AvLedger.Core.Accounts;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Sessions;

/// <summary>HTTP face of <see cref="EnforcementSessions"/>.</summary>
public static class SessionsApi
{
    public sealed record Created(string Id);

    public static void MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/activity-types", (ActivityTypeCatalog catalog) => TypedResults.Ok(catalog.All.Select(t => new { code = t.Key, name = t.Value }))).WithSummary("执法活动类型列表（代码与名称）");
        var group = app.MapGroup("/api/v1/sessions").RequireAuthorization(p => p.RequireRole(nameof(Role.Officer), nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.LegalOfficer), nameof(Role.Auditor))).WithParameter("id", "执法过程编号");
        group.MapPost("", async (EnforcementSessions.NewSession s, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.CreateAsync(user.Scope, s, ct)).AsCreated(session => $"/api/v1/sessions/{session.Id}", session => new Created(session.Id)))
            .WithSummary("新建执法过程")
            .WithDescription("一个执法过程把一台或多台设备、一名或多名执法人员的录像组成一条时间线（第九条）。");
        group.MapGet("", async (CurrentUser user, EnforcementSessions sessions, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, bool? toBeCompleted = null, int page = 1, int pageSize = 50,
                string? officer = null, string? unit = null) =>
            TypedResults.Ok(await sessions.ListAsync(user.Scope, from, to, toBeCompleted, page, pageSize, ct, officer, unit)))
            .WithSummary("执法过程列表")
            .WithParameter("officer", "执法人员：执法证号，或姓名的一部分")
            .WithParameter("unit", "单位代码：只列该单位及其下级单位的执法过程")
            .WithParameter("from", "起点（ISO 8601）：只列此后结束的执法过程")
            .WithParameter("to", "终点（ISO 8601）：只列此前开始的执法过程")
            .WithParameter("toBeCompleted", "true 只列有待补充事项（活动类型待补充或中断未说明）的")
            .WithParameter("page", "页码，从 1 开始")
            .WithParameter("pageSize", "每页条数（默认 50）");
        group.MapGet("/{id}", async (string id, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.ViewAsync(user.Scope, id, ct)).AsOk())
            .WithSummary("执法过程详情（时间线、中断）");
        group.MapPatch("/{id}", async (string id, EnforcementSessions.SessionChange change, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.ChangeAsync(user.Scope, id, change, ct)).AsNoContent())
            .WithSummary("修改执法过程（活动类型、标题、地点等）");
        group.MapPost("/{id}/interruptions", async (string id, EnforcementSessions.NewInterruptionReport r, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.ReportInterruptionAsync(user.Scope, id, r, ct)).AsCreated(_ => $"/api/v1/sessions/{id}", report => new Created(report.Id)))
            .WithSummary("填写中断说明")
            .WithDescription("录制中断的原因、恢复时语音说明的位置、报告的部门负责人和书面记录中的注明（第十一条）。");
    }
}
