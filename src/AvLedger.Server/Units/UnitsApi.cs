using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Units;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Units;

/// <summary>The unit tree (总队 → 支队 → 大队 → 中队, district agencies); several roots are allowed.</summary>
public static class UnitsApi
{
    public sealed record NewUnit(string? Code, string? Name, string? ParentCode);
    public sealed record UnitChange(string? Name);
    public sealed record UnitView(string Id, string Code, string Name, string? ParentCode, int Depth, bool Disabled, IReadOnlyList<string> Heads);
    public sealed record Created(string Id);

    public static RouteGroupBuilder MapUnits(this IEndpointRouteBuilder app)
    {
        var units = app.MapGroup("/api/v1/units").RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)));
        units.MapPost("/", (NewUnit u, AvLedgerDb db, CancellationToken ct) => AddAsync(db, u, ct));
        units.MapGet("/", async (AvLedgerDb db, CancellationToken ct) => TypedResults.Ok(await ListAsync(db, ct)));
        units.MapPatch("/{code}", Change);
        units.MapPost("/{code}/disable", Disable);
        return units;
    }

    static ProblemHttpResult Invalid(string zh, string en) => Problems.InvalidDirectoryEntry(zh, en);

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddAsync(AvLedgerDb db, NewUnit u, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(u.Code) || string.IsNullOrWhiteSpace(u.Name)) return Invalid("单位需要代码和名称。", "A unit needs a code and a name.");
        var code = u.Code.Trim();
        if (await db.Units.AnyAsync(x => x.Code == code, ct))
            return Problems.AlreadyExists($"单位代码 {code} 已被使用。", $"Unit code {code} is taken.");
        Unit? parent = null;
        if (!string.IsNullOrWhiteSpace(u.ParentCode) && (parent = await db.Units.AsNoTracking().SingleOrDefaultAsync(x => x.Code == u.ParentCode && !x.Disabled, ct)) is null)
            return Invalid($"上级单位 {u.ParentCode} 不存在。", $"Parent unit {u.ParentCode} does not exist.");
        var id = Ids.New();
        var unit = new Unit { Id = id, Code = code, Name = u.Name.Trim(), ParentId = parent?.Id, Path = Unit.PathOf(id, parent?.Path) };
        db.Units.Add(unit);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/units/{unit.Code}", new Created(unit.Id));
    }

    public static async Task<List<UnitView>> ListAsync(AvLedgerDb db, CancellationToken ct)
    {
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Path).ToListAsync(ct);
        var heads = await db.Accounts.AsNoTracking().Where(a => !a.Disabled && a.UnitId != null && (a.Roles & Role.DepartmentHead) == Role.DepartmentHead)
            .Select(a => new { a.UnitId, a.Username }).ToListAsync(ct);
        var codes = units.ToDictionary(u => u.Id, u => u.Code);
        return units.Select(u => new UnitView(u.Id, u.Code, u.Name, u.ParentId is null ? null : codes.GetValueOrDefault(u.ParentId),
            u.Path.Count(c => c == '/') - 2, u.Disabled, heads.Where(h => h.UnitId == u.Id).Select(h => h.Username).Order().ToList())).ToList();
    }

    static async Task<IResult> Change(string code, UnitChange change, AvLedgerDb db, CancellationToken ct)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, ct);
        if (unit is null) return Problems.NotFound();
        if (change.Name is { } name)
        {
            if (string.IsNullOrWhiteSpace(name)) return Invalid("名称不能为空。", "The name cannot be empty.");
            unit.Name = name.Trim();
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> Disable(string code, AvLedgerDb db, CancellationToken ct)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, ct);
        if (unit is null) return Problems.NotFound();
        // Records and accounts keep pointing at a disabled unit; it only takes no new members.
        unit.Disabled = true;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
