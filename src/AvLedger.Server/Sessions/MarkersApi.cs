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
            (await marking.ListAsync(user.Scope, id, ct)).AsOk()).RequireAuthorization()
            .WithSummary("录像的重要标记")
            .WithParameter("id", "录像编号");
        app.MapPost("/api/v1/records/{id}/markers", async (string id, KeyContentMarking.NewMarker m, CurrentUser user, KeyContentMarking marking, CancellationToken ct) =>
            (await marking.AddAsync(user.Scope, id, m, ct)).AsCreated(_ => $"/api/v1/records/{id}/markers", marker => new Created(marker.Id))).RequireAuthorization()
            .WithSummary("添加重要标记")
            .WithDescription("按第十条的五类重点内容在录像的某一时刻打标记。")
            .WithParameter("id", "录像编号");
    }
}
