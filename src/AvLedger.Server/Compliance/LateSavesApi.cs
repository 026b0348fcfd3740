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
            (await lateSaves.GiveReasonAsync(user.Scope, id, r.Text, ct)).AsNoContent()).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/late-save-ack", async (string id, CurrentUser user, LateSaves lateSaves, CancellationToken ct) =>
                (await lateSaves.AcknowledgeAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapPost("/api/v1/records/{id}/late-save-return", async (string id, Opinion o, CurrentUser user, LateSaves lateSaves, CancellationToken ct) =>
                (await lateSaves.ReturnAsync(user.Scope, id, o.Text, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapGet("/api/v1/compliance/late-saves", async (CurrentUser user, LateSaves lateSaves, CancellationToken ct, string? state = null) =>
                TypedResults.Ok(await lateSaves.ListAsync(user.Scope, state, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
    }
}
