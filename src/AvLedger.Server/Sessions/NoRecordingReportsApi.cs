using AvLedger.Core.Accounts;
using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Sessions;

/// <summary>HTTP face of <see cref="NoRecordingReports"/>.</summary>
public static class NoRecordingReportsApi
{
    public sealed record Created(string Id);

    public static void MapNoRecordingReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/no-recording-reports");
        group.MapPost("", async (NoRecordingReports.NewReport r, CurrentUser user, NoRecordingReports reports, CancellationToken ct) =>
                (await reports.CreateAsync(user.Scope, r, ct)).AsCreated(report => $"/api/v1/no-recording-reports/{report.Id}", report => new Created(report.Id)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Officer)));
        group.MapGet("", async (CurrentUser user, NoRecordingReports reports, CancellationToken ct, bool? acknowledged = null) =>
                TypedResults.Ok(await reports.ListAsync(user.Scope, acknowledged, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.Officer), nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
        group.MapPost("/{id}/ack", async (string id, CurrentUser user, NoRecordingReports reports, CancellationToken ct) =>
                (await reports.AcknowledgeAsync(user.Scope, id, ct)).AsNoContent())
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
    }
}
