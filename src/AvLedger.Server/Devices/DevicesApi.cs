using AvLedger.Core.Accounts;
using AvLedger.Core.Devices;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;

namespace AvLedger.Server.Devices;

/// <summary>HTTP face of <see cref="DeviceRegister"/>.</summary>
public static class DevicesApi
{
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapDevices(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/v1/devices")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DeviceCustodian)));
        devices.MapPost("/", async (DeviceRegister.NewDevice d, CurrentUser user, DeviceRegister register, CancellationToken ct) =>
                (await register.AddAsync(user.Scope, d, ct)).AsCreated(device => $"/api/v1/devices/{device.Code}", device => new Created(device.Id)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)))
            .WithSummary("登记设备（执法记录仪、采集站、无人机等）");
        devices.MapGet("/", async (CurrentUser user, DeviceRegister register, CancellationToken ct) => (await register.ListAsync(user.Scope, ct)).AsOk()).WithSummary("设备列表");
        return devices;
    }
}
