using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Devices;

/// <summary>Registered recorders and stations: administrators register them, custodians look after them.</summary>
public static class DevicesApi
{
    public sealed record NewDevice(string? Code, DeviceKind? Kind, string? UnitCode, string? TimeZone);
    public sealed record DeviceView(string Id, string Code, DeviceKind Kind, string? UnitCode, string TimeZone);
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapDevices(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/v1/devices")
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator), nameof(Role.DeviceCustodian)));
        devices.MapPost("/", (NewDevice d, AvLedgerDb db, CancellationToken ct) => AddAsync(db, d, ct))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)));
        devices.MapGet("/", async (AvLedgerDb db, CancellationToken ct) => TypedResults.Ok(await db.Devices.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new DeviceView(d.Id, d.Code, d.Kind, db.Units.Where(u => u.Id == d.UnitId).Select(u => u.Code).FirstOrDefault(), d.TimeZone))
            .ToListAsync(ct)));
        return devices;
    }

    static ProblemHttpResult Invalid(string zh, string en) => Problems.InvalidDirectoryEntry(zh, en);

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddAsync(AvLedgerDb db, NewDevice d, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(d.Code) || d.Kind is null) return Invalid("设备需要编号和类型。", "A device needs a code and a kind.");
        if (await db.Devices.AnyAsync(x => x.Code == d.Code, ct))
            return Problems.AlreadyExists($"设备编号 {d.Code} 已被使用。", $"Device code {d.Code} is taken.");
        var zone = d.TimeZone ?? Device.DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) return Invalid($"未知时区 {zone}。", $"Unknown time zone {zone}.");
        string? unitId = null;
        if (d.UnitCode is not null && (unitId = await db.Units.Where(x => x.Code == d.UnitCode).Select(x => x.Id).SingleOrDefaultAsync(ct)) is null)
            return Invalid($"单位 {d.UnitCode} 不存在。", $"Unit {d.UnitCode} does not exist.");
        var device = new Device { Id = Ids.New(), Code = d.Code.Trim(), Kind = d.Kind.Value, UnitId = unitId, TimeZone = zone };
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/devices/{device.Code}", new Created(device.Id));
    }
}
