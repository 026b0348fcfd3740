using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Units;

/// <summary>The unit tree (总队 → 支队 → 大队 → 中队, district agencies), kept by system administrators; several roots are allowed.</summary>
public sealed class UnitTree(AvLedgerDb db)
{
    public sealed record NewUnit(string? Code, string? Name, string? ParentCode, string? ShortName = null);
    public sealed record UnitView(string Id, string Code, string Name, string? ParentCode, int Depth, bool Disabled, IReadOnlyList<string> Heads, string? ShortName);

    public const int MaxShortName = 40;

    /// <summary>A short name as given: null for none (blank), or a refusal when it is too long.</summary>
    static (string? Value, Refusal? Refused) ShortNameOf(string? given) =>
        string.IsNullOrWhiteSpace(given) ? (null, null)
        : given.Trim().Length > MaxShortName ? (null, Refusal.InvalidDirectoryEntry("short-name-too-long", MaxShortName.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        : (given.Trim(), null);

    static bool Administers(Scope actor) => actor.Person.Has(Role.SystemAdministrator);

    public async Task<Outcome<Unit>> AddAsync(Scope actor, NewUnit u, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        if (string.IsNullOrWhiteSpace(u.Code) || string.IsNullOrWhiteSpace(u.Name)) return Refusal.InvalidDirectoryEntry("unit-needs-code-and-name");
        var code = u.Code.Trim();
        if (await db.Units.AnyAsync(x => x.Code == code, ct)) return Refusal.AlreadyExists("unit-code", code);
        Unit? parent = null;
        if (!string.IsNullOrWhiteSpace(u.ParentCode) && (parent = await db.Units.AsNoTracking().SingleOrDefaultAsync(x => x.Code == u.ParentCode && !x.Disabled, ct)) is null)
            return Refusal.InvalidDirectoryEntry("parent-unknown", u.ParentCode);
        var (shortName, refused) = ShortNameOf(u.ShortName);
        if (refused is not null) return refused;
        var id = Ids.New();
        var unit = new Unit { Id = id, Code = code, Name = u.Name.Trim(), ShortName = shortName, ParentId = parent?.Id, Path = Unit.PathOf(id, parent?.Path) };
        db.Units.Add(unit);
        await db.SaveChangesAsync(ct);
        return unit;
    }

    public async Task<Outcome<List<UnitView>>> ListAsync(Scope actor, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Path).ToListAsync(ct);
        var heads = await db.Accounts.AsNoTracking().Where(a => !a.Disabled && a.UnitId != null && (a.Roles & Role.DepartmentHead) == Role.DepartmentHead)
            .Select(a => new { a.UnitId, a.Username }).ToListAsync(ct);
        var codes = units.ToDictionary(u => u.Id, u => u.Code);
        return units.Select(u => new UnitView(u.Id, u.Code, u.Name, u.ParentId is null ? null : codes.GetValueOrDefault(u.ParentId),
            u.Path.Count(c => c == '/') - 2, u.Disabled, heads.Where(h => h.UnitId == u.Id).Select(h => h.Username).Order().ToList(), u.ShortName)).ToList();
    }

    /// <summary>Changes a unit's name and, when <paramref name="shortName"/> is given, its 文号代字 (blank clears it).</summary>
    public async Task<Refusal?> RenameAsync(Scope actor, string code, string? name, string? shortName, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, ct);
        if (unit is null) return Refusal.NotFound;
        if (name is not null)
        {
            if (string.IsNullOrWhiteSpace(name)) return Refusal.InvalidDirectoryEntry("name-empty");
            unit.Name = name.Trim();
        }
        if (shortName is not null)
        {
            var (value, refused) = ShortNameOf(shortName);
            if (refused is not null) return refused;
            unit.ShortName = value;
        }
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<Refusal?> DisableAsync(Scope actor, string code, CancellationToken ct)
    {
        if (!Administers(actor)) return Refusal.Forbidden;
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, ct);
        if (unit is null) return Refusal.NotFound;
        // Records and accounts keep pointing at a disabled unit; it only takes no new members.
        unit.Disabled = true;
        await db.SaveChangesAsync(ct);
        return null;
    }
}
