using AvLedger.Core.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Approvals;

/// <summary>HTTP face of external provision (Art. 17): records leave the system only with the owning
/// unit's head's written approval, who may first consult the superior unit's head. Approval opens the
/// evidence export of those records to the requester, and nothing else.</summary>
public static class ProvisionsApi
{
    public sealed record Consultation(string? Opinion, string? Password, string? Totp = null);

    public static void MapProvisions(this IEndpointRouteBuilder app)
    {
        var provisions = app.MapGroup("/api/v1/provisions").RequireAuthorization();
        provisions.MapPost("/", async (AccessRequestDesk.NewProvision p, CurrentUser user, AccessRequestDesk desk, CancellationToken ct) =>
            (await desk.ProvideAsync(user.Scope, p, ct)).AsCreated(request => $"/api/v1/provisions/{request.Id}", request => new AccessRequestsApi.Created(request.Id)));
        provisions.MapGet("/{id}", async (string id, CurrentUser user, AccessRequestDesk desk, CancellationToken ct) => (await desk.GetProvisionAsync(user.Scope, id, ct)).AsOk());
        provisions.MapPost("/{id}/consult", async (string id, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            (await approvals.ConsultAsync(user.Scope, id, ct)).AsOk());
        provisions.MapPost("/{id}/consultation", async (string id, Consultation c, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            (await approvals.AnswerAsync(user.Scope, id, c.Opinion, new Confirmation(c.Password, c.Totp), ct)).AsNoContent());
        provisions.MapPost("/{id}/approve", (string id, AccessRequestsApi.Decide d, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            AccessRequestsApi.DecideAsync(id, approve: true, provision: true, d, user, approvals, ct));
        provisions.MapPost("/{id}/reject", (string id, AccessRequestsApi.Decide d, CurrentUser user, WrittenApprovals approvals, CancellationToken ct) =>
            AccessRequestsApi.DecideAsync(id, approve: false, provision: true, d, user, approvals, ct));
    }
}
