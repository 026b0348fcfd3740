using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Core.Units;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Admin;

/// <summary>The system administrator's directory: units, accounts, devices. No content here.</summary>
public static class AdminApi
{
    public sealed record NewUnit(string? Code, string? Name, string? ParentCode);
    public sealed record NewAccount(string? Username, string? Password, Role? Role, string? DisplayName, string? Badge, string? UnitCode);
    public sealed record NewDevice(string? Code, DeviceKind? Kind, string? UnitCode, string? TimeZone);
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAuthorization(p => p.RequireRole(nameof(Role.Administrator)));
        admin.MapPost("/units", (NewUnit u, AvLedgerDb db, CancellationToken ct) => AddUnitAsync(db, u, ct));
        admin.MapPost("/users", (NewAccount a, AvLedgerDb db, IPasswordHasher<Account> hasher, TimeProvider clock, CancellationToken ct) => AddAccountAsync(db, hasher, clock, a, ct));
        admin.MapPost("/devices", (NewDevice d, AvLedgerDb db, CancellationToken ct) => AddDeviceAsync(db, d, ct));
        return admin;
    }

    static ProblemHttpResult Invalid(string zh, string en) => Problems.Of(400, "invalid-directory-entry", "输入无效", "Invalid input", zh, en);
    static ProblemHttpResult Taken(string zh, string en) => Problems.Of(409, "already-exists", "已存在", "Already exists", zh, en);

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddUnitAsync(AvLedgerDb db, NewUnit u, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(u.Code) || string.IsNullOrWhiteSpace(u.Name)) return Invalid("单位需要代码和名称。", "A unit needs a code and a name.");
        if (await db.Units.AnyAsync(x => x.Code == u.Code, ct)) return Taken($"单位代码 {u.Code} 已被使用。", $"Unit code {u.Code} is taken.");
        string? parentId = null;
        if (u.ParentCode is not null && (parentId = await db.Units.Where(x => x.Code == u.ParentCode).Select(x => x.Id).SingleOrDefaultAsync(ct)) is null)
            return Invalid($"上级单位 {u.ParentCode} 不存在。", $"Parent unit {u.ParentCode} does not exist.");
        var unit = new Unit { Id = Ids.New(), Code = u.Code.Trim(), Name = u.Name.Trim(), ParentId = parentId };
        db.Units.Add(unit);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/admin/units/{unit.Id}", new Created(unit.Id));
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddAccountAsync(
        AvLedgerDb db, IPasswordHasher<Account> hasher, TimeProvider clock, NewAccount a, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(a.Username) || a.Role is null || string.IsNullOrWhiteSpace(a.DisplayName))
            return Invalid("账号需要用户名、角色和姓名。", "An account needs a username, a role and a display name.");
        if (a.Password is not { Length: >= 10 }) return Invalid("密码至少 10 个字符。", "A password has at least 10 characters.");
        if (await db.Accounts.AnyAsync(x => x.Username == a.Username, ct)) return Taken($"用户名 {a.Username} 已被使用。", $"Username {a.Username} is taken.");
        if (a.Badge is not null && await db.Accounts.AnyAsync(x => x.Badge == a.Badge, ct)) return Taken($"警号 {a.Badge} 已被使用。", $"Badge {a.Badge} is taken.");
        string? unitId = null;
        if (a.UnitCode is not null && (unitId = await db.Units.Where(x => x.Code == a.UnitCode).Select(x => x.Id).SingleOrDefaultAsync(ct)) is null)
            return Invalid($"单位 {a.UnitCode} 不存在。", $"Unit {a.UnitCode} does not exist.");
        var account = new Account
        {
            Id = Ids.New(),
            Username = a.Username.Trim(),
            PasswordHash = "",
            Role = a.Role.Value,
            DisplayName = a.DisplayName.Trim(),
            Badge = a.Badge?.Trim(),
            UnitId = unitId,
            CreatedAt = clock.GetUtcNow(),
        };
        account.PasswordHash = hasher.HashPassword(account, a.Password);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/admin/users/{account.Id}", new Created(account.Id));
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddDeviceAsync(AvLedgerDb db, NewDevice d, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(d.Code) || d.Kind is null) return Invalid("设备需要编号和类型。", "A device needs a code and a kind.");
        if (await db.Devices.AnyAsync(x => x.Code == d.Code, ct)) return Taken($"设备编号 {d.Code} 已被使用。", $"Device code {d.Code} is taken.");
        var zone = d.TimeZone ?? Device.DefaultTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) return Invalid($"未知时区 {zone}。", $"Unknown time zone {zone}.");
        string? unitId = null;
        if (d.UnitCode is not null && (unitId = await db.Units.Where(x => x.Code == d.UnitCode).Select(x => x.Id).SingleOrDefaultAsync(ct)) is null)
            return Invalid($"单位 {d.UnitCode} 不存在。", $"Unit {d.UnitCode} does not exist.");
        var device = new Device { Id = Ids.New(), Code = d.Code.Trim(), Kind = d.Kind.Value, UnitId = unitId, TimeZone = zone };
        db.Devices.Add(device);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/admin/devices/{device.Id}", new Created(device.Id));
    }
}
