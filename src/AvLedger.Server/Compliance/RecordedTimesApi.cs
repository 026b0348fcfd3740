using AvLedger.Core.Accounts;
using AvLedger.Core.Compliance;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Compliance;

/// <summary>HTTP face of <see cref="RecordedTimes"/>.</summary>
public static class RecordedTimesApi
{
    public sealed record Confirmation(string? Start);

    public static void MapRecordedTimes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/recorded-time", async (string id, Confirmation c, CurrentUser user, RecordedTimes times, CancellationToken ct) =>
                (await times.ConfirmAsync(user.Scope, id, c.Start, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)))
            .WithSummary("确认录像的录制时间（部门负责人）")
            .WithParameter("id", "录像编号");
        app.MapGet("/api/v1/compliance/recorded-times", async (CurrentUser user, RecordedTimes times, CancellationToken ct, string? flag) =>
                TypedResults.Ok(await times.ListAsync(user.Scope, flag, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)))
            .WithSummary("录制时间存疑的录像")
            .WithParameter("flag", "标记：unknown（时间未知）、unconfirmed（未确认）、discrepant（来源不一致）；缺省为全部");
    }
}
