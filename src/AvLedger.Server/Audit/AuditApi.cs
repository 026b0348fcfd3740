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
        audit.MapGet("/search", Search)
            .WithSummary("审计查询（审计人员）：按人员、录像、事项和日期，最新的在前")
            .WithDescription("每行含人员姓名和执法证号、事项及其中文名称、录像文件名、录像设备和录制时间，以及记载该事件的账本叶子序号"
                + "（leafIndex；尚未入账或早于事件与叶子关联的事件为空），可用 /api/v1/ledger/leaves/{index}/proof 核验。")
            .WithFilterParameters()
            .WithParameter("before", "上一页的 next；缺省从最新的事件开始")
            .WithParameter("pageSize", "每页条数（默认 50，最多 1000）");
        audit.MapGet("/search.csv", Csv)
            .WithSummary("导出审计查询结果（CSV，审计人员）")
            .WithDescription($"条件同审计查询；UTF-8（带 BOM，Excel 可直接打开中文），表头为中文，最新的在前，最多 {AuditTrail.MaxExportRows} 行。导出本身记入审计记录和账本。")
            .WithFilterParameters()
            .Produces<string>(200, "text/csv");
        return audit;
    }

    static RouteHandlerBuilder WithFilterParameters(this RouteHandlerBuilder route) => route
        .WithParameter("person", "人员：姓名（可为其中一部分）、执法证号或用户名")
        .WithParameter("record", "录像：录像编号或文件名的一部分")
        .WithParameter("action", "事项代码，如 record.view（播放查看）")
        .WithParameter("from", "起始日期（北京时间，含当日），yyyy-MM-dd")
        .WithParameter("to", "截止日期（北京时间，含当日），yyyy-MM-dd");

    static async Task<Results<Ok<AuditTrail.AuditPage>, ProblemHttpResult>> Events(CurrentUser user, AuditTrail trail, CancellationToken ct, string? after = null, int pageSize = 500) =>
        (await trail.EventsAsync(user.Scope, after, pageSize, ct)).AsOk();

    static async Task<Results<Ok<AuditTrail.SearchPage>, ProblemHttpResult>> Search(CurrentUser user, AuditTrail trail, CancellationToken ct,
        string? person = null, string? record = null, string? action = null, DateOnly? from = null, DateOnly? to = null, string? before = null, int pageSize = AuditTrail.SearchPageSize) =>
        (await trail.SearchAsync(user.Scope, new(person, record, action, from, to), before, pageSize, ct)).AsOk();

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Csv(CurrentUser user, AuditTrail trail, TimeProvider clock, CancellationToken ct,
        string? person = null, string? record = null, string? action = null, DateOnly? from = null, DateOnly? to = null)
    {
        var export = await trail.ExportAsync(user.Scope, new(person, record, action, from, to), ct);
        if (export.Refusal is { } refused) return Problems.From(refused);
        var name = $"audit-{Core.Records.RecordingTimes.ToChina(clock.GetUtcNow()):yyyyMMdd-HHmmss}.csv";
        return TypedResults.Stream(stream => AuditCsv.WriteAsync(stream, export.Value!.Rows, ct), "text/csv; charset=utf-8", name);
    }
}
