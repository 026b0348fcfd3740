using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Devices;

/// <summary>Registered recorders and stations: administrators register them, custodians look after them.</summary>
public sealed class DeviceRegister(AvLedgerDb db)
{
    public sealed record NewDevice(string? Code, DeviceKind? Kind, string? UnitCode, string? TimeZone);
    public sealed record DeviceView(string Id, string Code, DeviceKind Kind, string? UnitCode, string TimeZone);

    public async Task<Outcome<Device>> AddAsync(Scope actor, NewDevice d, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.SystemAdministrator)) return Refusal.Forbidden;
        if (string.IsNullOrWhiteSpace(d.Code) || d.Kind is null) return Refusal.InvalidDirectoryEntry("device-needs-code-and-kind");
        if (await db.Devices.AnyAsync(x => x.Code == d.Code, ct)) return Refusal.AlreadyExists("device-code", d.Code);
        var zone = d.TimeZone ?? Device.DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) return Refusal.InvalidDirectoryEntry("time-zone-unknown", zone);
        string? unitId = null;
        if (d.UnitCode is not null && (unitId = await db.Units.Where(x => x.Code == d.UnitCode).Select(x => x.Id).SingleOrDefaultAsync(ct)) is null)
            return Refusal.InvalidDirectoryEntry("unit-unknown", d.UnitCode);
        var device = new Device { Id = Ids.New(), Code = d.Code.Trim(), Kind = d.Kind.Value, UnitId = unitId, TimeZone = zone };
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        return device;
    }

    public async Task<Outcome<List<DeviceView>>> ListAsync(Scope actor, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.SystemAdministrator | Role.DeviceCustodian)) return Refusal.Forbidden;
        return await db.Devices.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new DeviceView(d.Id, d.Code, d.Kind, db.Units.Where(u => u.Id == d.UnitId).Select(u => u.Code).FirstOrDefault(), d.TimeZone))
            .ToListAsync(ct);
    }
}
