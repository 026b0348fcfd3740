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
        app.MapGet("/api/v1/activity-types", (ActivityTypeCatalog catalog) => TypedResults.Ok(catalog.All.Select(t => new { code = t.Key, name = t.Value })));
        var group = app.MapGroup("/api/v1/sessions").RequireAuthorization(p => p.RequireRole(nameof(Role.Officer), nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.LegalOfficer), nameof(Role.Auditor)));
        group.MapPost("", async (EnforcementSessions.NewSession s, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.CreateAsync(user.Scope, s, ct)).AsCreated(session => $"/api/v1/sessions/{session.Id}", session => new Created(session.Id)));
        group.MapGet("", async (CurrentUser user, EnforcementSessions sessions, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, bool? toBeCompleted = null, int page = 1, int pageSize = 50) =>
            TypedResults.Ok(await sessions.ListAsync(user.Scope, from, to, toBeCompleted, page, pageSize, ct)));
        group.MapGet("/{id}", async (string id, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.ViewAsync(user.Scope, id, ct)).AsOk());
        group.MapPatch("/{id}", async (string id, EnforcementSessions.SessionChange change, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.ChangeAsync(user.Scope, id, change, ct)).AsNoContent());
        group.MapPost("/{id}/interruptions", async (string id, EnforcementSessions.NewInterruptionReport r, CurrentUser user, EnforcementSessions sessions, CancellationToken ct) =>
            (await sessions.ReportInterruptionAsync(user.Scope, id, r, ct)).AsCreated(_ => $"/api/v1/sessions/{id}", report => new Created(report.Id)));
    }
}
