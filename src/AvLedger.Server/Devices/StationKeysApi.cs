using AvLedger.Core.Accounts;
using AvLedger.Core.Devices;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AvLedger.Server.Devices;

/// <summary>HTTP face of <see cref="StationKeys"/>.</summary>
public static class StationKeysApi
{
    public static void MapStationKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/stations/{code}/keys")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DeviceCustodian)));
        keys.MapPost("/", IssueAsync);
        keys.MapPost("/{id}/revoke", RevokeAsync);
    }

    static async Task<Results<Created<StationKeys.IssuedKey>, ProblemHttpResult>> IssueAsync(string code, CurrentUser user, StationKeys keys, CancellationToken ct) =>
        (await keys.IssueAsync(user.Scope, code, ct)).AsCreated(k => $"/api/v1/stations/{k.DeviceCode}/keys/{k.Id}", k => k);

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string code, string id, CurrentUser user, StationKeys keys, CancellationToken ct) =>
        (await keys.RevokeAsync(user.Scope, code, id, ct)).AsNoContent();
}
