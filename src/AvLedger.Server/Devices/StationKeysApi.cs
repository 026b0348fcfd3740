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
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DeviceCustodian)))
            .WithParameter("code", "采集站设备编号")
            .WithParameter("id", "密钥编号");
        keys.MapPost("/", IssueAsync)
            .WithSummary("为采集站签发上传专用密钥")
            .WithDescription("密钥只在本响应中出现一次；采集站以它作为 Bearer 令牌上传录像，不能做其他操作。");
        keys.MapPost("/{id}/revoke", RevokeAsync).WithSummary("吊销采集站密钥");
    }

    static async Task<Results<Created<StationKeys.IssuedKey>, ProblemHttpResult>> IssueAsync(string code, CurrentUser user, StationKeys keys, CancellationToken ct) =>
        (await keys.IssueAsync(user.Scope, code, ct)).AsCreated(k => $"/api/v1/stations/{k.DeviceCode}/keys/{k.Id}", k => k);

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string code, string id, CurrentUser user, StationKeys keys, CancellationToken ct) =>
        (await keys.RevokeAsync(user.Scope, code, id, ct)).AsNoContent();
}
