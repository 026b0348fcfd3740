using AvLedger.Core.Accounts;
using AvLedger.Core.Retention;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Retention;

/// <summary>HTTP face of <see cref="RetentionSettings"/>, <see cref="LegalHolds"/> and <see cref="PurgeDecisions"/> (Art. 13, R-13).</summary>
public static class RetentionApi
{
    public sealed record CategoryChoice(List<string?>? Categories);
    public sealed record Decision(string? Opinion, string? Password, string? Totp);

    public static void MapRetention(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/retention/categories", async (RetentionSettings settings, CancellationToken ct) => TypedResults.Ok(await settings.CategoriesAsync(ct)))
            .RequireAuthorization()
            .WithSummary("保存期限类别");
        app.MapPut("/api/v1/retention/categories/{code}", PutCategoryAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)))
            .WithSummary("设置保存期限类别（系统管理员）")
            .WithDescription("任何类别都不短于 180 天（第十三条）。")
            .WithParameter("code", "类别代码");
        app.MapPost("/api/v1/records/{id}/retention", async (string id, CategoryChoice c, CurrentUser user, RetentionSettings settings, CancellationToken ct) =>
                (await settings.SetCategoriesAsync(user.Scope, id, c.Categories, ct)).AsOk())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)))
            .WithSummary("为录像设定保存期限类别")
            .WithParameter("id", "录像编号");
        app.MapGet("/api/v1/legal-holds", async (CurrentUser user, LegalHolds holds, CancellationToken ct, bool active = false) =>
                TypedResults.Ok(await holds.ListAsync(user.Scope, active, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer), nameof(Role.Inspector), nameof(Role.Auditor)))
            .WithSummary("保全列表")
            .WithParameter("active", "true 只列未解除的保全");
        app.MapPost("/api/v1/legal-holds", async (LegalHolds.NewHold h, CurrentUser user, LegalHolds holds, CancellationToken ct) =>
                (await holds.PlaceAsync(user.Scope, h, ct)).AsCreated(hold => $"/api/v1/legal-holds/{hold.Id}", hold => hold))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)))
            .WithSummary("设置保全（按录像或案号）")
            .WithDescription("保全期间录像不会被清除，保存期限届满也不例外。");
        app.MapPost("/api/v1/legal-holds/{id}/release", async (string id, CurrentUser user, LegalHolds holds, CancellationToken ct) =>
                (await holds.ReleaseAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)))
            .WithSummary("解除保全")
            .WithParameter("id", "保全编号");
        app.MapGet("/api/v1/purge-proposals", async (CurrentUser user, PurgeDecisions decisions, CancellationToken ct, string? state = null) =>
                (await decisions.ListAsync(user.Scope, state, ct)).AsOk())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)))
            .WithSummary("清除提议列表")
            .WithParameter("state", "状态：proposed、approved、rejected、cancelled、executed、withdrawn；缺省为全部");
        foreach (var (verb, approve) in new[] { ("approve", true), ("reject", false) })
            app.MapPost($"/api/v1/purge-proposals/{{id}}/{verb}", async (string id, Decision d, CurrentUser user, PurgeDecisions decisions, IOptions<AvLedgerOptions> options, CancellationToken ct) =>
                    (await decisions.DecideAsync(user.Scope, id, new PurgeDecisions.WrittenDecision(approve, d.Opinion, d.Password, d.Totp), options.Value.Retention.RecoveryWindow, ct)).AsOk())
                .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
                .WithSummary(approve ? "书面批准清除（部门负责人）" : "驳回清除（部门负责人）")
                .WithParameter("id", "清除提议编号");
        app.MapPost("/api/v1/purge-proposals/{id}/cancel", async (string id, CurrentUser user, PurgeDecisions decisions, CancellationToken ct) =>
                (await decisions.CancelAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
            .WithSummary("撤回清除提议")
            .WithParameter("id", "清除提议编号");
        app.MapDelete("/api/v1/records/{id}", async (string id, HttpContext http, CurrentUser user, RetentionSettings settings, CancellationToken ct) =>
        {
            var refusal = await settings.DeleteRecordAsync(user.Scope, id, ct);
            if (refusal.Status == StatusCodes.Status405MethodNotAllowed) http.Response.Headers.Allow = "GET";
            return Problems.From(refusal);
        }).RequireAuthorization()
            .WithSummary("删除录像（一律拒绝）")
            .WithDescription("原始录像不能删除或覆盖（第八条、第十八条）：总是返回 405 问题详情。保存期限届满的录像经清除提议和书面批准后清除，留下墓碑。")
            .WithParameter("id", "录像编号")
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed);
    }

    /// <summary>A new category answers 201, a changed one 200.</summary>
    static async Task<Results<Created<RetentionSettings.CategoryView>, Ok<RetentionSettings.CategoryView>, ProblemHttpResult>> PutCategoryAsync(
        string code, RetentionSettings.CategoryChange c, CurrentUser user, RetentionSettings settings, CancellationToken ct)
    {
        var saved = await settings.SaveCategoryAsync(user.Scope, code, c, ct);
        if (saved.Refusal is { } refused) return Problems.From(refused);
        return saved.Value!.Created
            ? TypedResults.Created($"/api/v1/retention/categories/{code}", saved.Value.View)
            : TypedResults.Ok(saved.Value.View);
    }

}
