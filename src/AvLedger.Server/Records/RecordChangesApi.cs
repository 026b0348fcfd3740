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
            (await changes.AssignAsync(user.Scope, id, a.OfficerBadge, ct)).AsNoContent()).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/confidentiality", async (string id, LevelRequest r, CurrentUser user, RecordChanges changes, CancellationToken ct) =>
            (await changes.RequestLevelAsync(user.Scope, id, r.Level, r.Reason, ct))
                .AsCreated(change => $"/api/v1/confidentiality-changes/{change.Id}", change => new AccessRequestsApi.Created(change.Id)))
            .RequireAuthorization();
        var decided = app.MapGroup("/api/v1/confidentiality-changes").RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        decided.MapGet("/", async (CurrentUser user, RecordChanges changes, CancellationToken ct) => TypedResults.Ok(await changes.ToDecideAsync(user.Scope, ct)));
        foreach (var (verb, approve) in new[] { ("approve", true), ("reject", false) })
            decided.MapPost($"/{{id}}/{verb}", async (string id, AccessRequestsApi.Decide d, CurrentUser user, RecordChanges changes, CancellationToken ct) =>
                (await changes.DecideAsync(user.Scope, id, new RecordChanges.WrittenDecision(approve, d.Opinion, d.Password, d.Totp), ct)).AsNoContent());
    }
}
