using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Cases;

/// <summary>HTTP face of <see cref="CaseRegister"/> (Art. 15): cases, and the records and sessions linked to them.</summary>
public static class CasesApi
{
    public sealed record Created(string Id);

    public static void MapCases(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").RequireAuthorization().WithParameter("number", "案号");
        cases.MapPost("/", async (CaseRegister.NewCase n, CurrentUser user, CaseRegister register, CancellationToken ct) =>
                (await register.CreateAsync(user.Scope, n, ct)).AsCreated(c => $"/api/v1/cases/{Uri.EscapeDataString(c.Number)}", c => new Created(c.Id)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.DepartmentHead)))
            .WithSummary("登记案件");
        cases.MapGet("/", async (CurrentUser user, CaseRegister register, CancellationToken ct, string? q = null, CaseStatus? status = null) =>
            TypedResults.Ok(await register.ListAsync(user.Scope, q, status, ct)))
            .WithSummary("案件列表")
            .WithParameter("q", "关键词：案号、案件标题、车牌或当事人中包含的文字")
            .WithParameter("status", "案件状态：open（办理中）、closed（已结案）、archived（已归档）");
        cases.MapGet("/{number}", async (string number, CurrentUser user, CaseRegister register, CancellationToken ct) =>
            (await register.DetailAsync(user.Scope, number, ct)).AsOk())
            .WithSummary("案件详情（关联的录像和执法过程）");
        cases.MapPatch("/{number}", async (string number, CaseRegister.CaseChange change, CurrentUser user, CaseRegister register, CancellationToken ct) =>
                (await register.ChangeAsync(user.Scope, number, change, ct)).AsOk())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.DepartmentHead)))
            .WithSummary("修改案件");
        cases.MapPost("/{number}/links", async (string number, CaseRegister.NewLink link, CurrentUser user, CaseRegister register, CancellationToken ct) =>
                (await register.LinkAsync(user.Scope, number, link, ct)).AsCreated(_ => $"/api/v1/cases/{Uri.EscapeDataString(number)}", made => new Created(made.Id)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.DepartmentHead)))
            .WithSummary("关联录像或执法过程到案件");
        app.MapCaseImports();
    }
}
