using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Sessions;

/// <summary>HTTP face of <see cref="KeyContentMarking"/>.</summary>
public static class MarkersApi
{
    public sealed record Created(string Id);

    public static void MapMarkers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/records/{id}/markers", async (string id, CurrentUser user, KeyContentMarking marking, CancellationToken ct) =>
            (await marking.ListAsync(user.Scope, id, ct)).AsOk()).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/markers", async (string id, KeyContentMarking.NewMarker m, CurrentUser user, KeyContentMarking marking, CancellationToken ct) =>
            (await marking.AddAsync(user.Scope, id, m, ct)).AsCreated(_ => $"/api/v1/records/{id}/markers", marker => new Created(marker.Id))).RequireAuthorization();
    }
}
