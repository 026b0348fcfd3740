using AvLedger.Core.Accounts;
using AvLedger.Core.Records;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Records;

/// <summary>HTTP face of <see cref="RecordChanges"/>.</summary>
public static class RecordChangesApi
{
    public sealed record Assignment(string? OfficerBadge);
    public sealed record LevelRequest(Confidentiality? Level, string? Reason);

    public static void MapRecordChanges(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/assign", async (string id, Assignment a, CurrentUser user, RecordChanges changes, CancellationToken ct) =>
            (await changes.AssignAsync(user.Scope, id, a.OfficerBadge, ct)).AsNoContent()).RequireAuthorization()
            .WithSummary("指定录像所属执法人员（按执法证号）")
            .WithParameter("id", "录像编号");
        app.MapPost("/api/v1/records/{id}/confidentiality", async (string id, LevelRequest r, CurrentUser user, RecordChanges changes, CancellationToken ct) =>
            (await changes.RequestLevelAsync(user.Scope, id, r.Level, r.Reason, ct))
                .AsCreated(change => $"/api/v1/confidentiality-changes/{change.Id}", change => new AccessRequestsApi.Created(change.Id)))
            .RequireAuthorization()
            .WithSummary("申请变更录像密级")
            .WithDescription("密级变更须部门负责人书面决定（见 /api/v1/confidentiality-changes）。")
            .WithParameter("id", "录像编号");
        var decided = app.MapGroup("/api/v1/confidentiality-changes").RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead))).WithParameter("id", "密级变更申请编号");
        decided.MapGet("/", async (CurrentUser user, RecordChanges changes, CancellationToken ct) => TypedResults.Ok(await changes.ToDecideAsync(user.Scope, ct))).WithSummary("待决定的密级变更（部门负责人）");
        foreach (var (verb, approve) in new[] { ("approve", true), ("reject", false) })
            decided.MapPost($"/{{id}}/{verb}", async (string id, AccessRequestsApi.Decide d, CurrentUser user, RecordChanges changes, CancellationToken ct) =>
                (await changes.DecideAsync(user.Scope, id, new RecordChanges.WrittenDecision(approve, d.Opinion, d.Password, d.Totp), ct)).AsNoContent())
                .WithSummary(approve ? "书面批准密级变更（部门负责人）" : "驳回密级变更（部门负责人）");
    }
}
