using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Records;

/// <summary>Finding records: the person's records that match a search, a page of them as a list shows
/// them, and the people and devices a search form offers (only those of the person's own scope).</summary>
public sealed class RecordFinder(AvLedgerDb db)
{
    public sealed record Listed(string Id, string FileName, string MediaKind, DateTimeOffset RecordedStart, double? DurationSeconds, string? OfficerBadge,
        string? OfficerName, string? DeviceCode, string? ActivityType, long Size, DateTimeOffset SavedAt, bool? LateSave, bool HasThumbnail)
    {
        /// <summary>The record's unit: its short name (文号代字), or its name.</summary>
        public string? UnitName { get; init; }
    }

    /// <summary>A record as people recognise it in a list of them.</summary>
    public sealed record Named(string Id, string FileName, DateTimeOffset RecordedStart, string? OfficerName);

    /// <summary>A page of matches, how many match in all, and which of the page's records the person may play.</summary>
    public sealed record Page(int Total, List<Listed> Rows, HashSet<string> Viewable);

    public sealed record Choices(List<(string Badge, string DisplayName)> Officers, List<string> Devices);

    /// <summary>The record if the person may know of it (empty otherwise, as if it did not exist).</summary>
    public IQueryable<Record> One(Scope actor, string id) => actor.Records(db.Records.AsNoTracking()).Where(r => r.Id == id);

    public IQueryable<Record> Matching(Scope actor, RecordSearch search) => search.Filter(actor.Records(db.Records.AsNoTracking()), db.CaseLinks, db.Accounts);

    public async Task<Page> PageAsync(Scope actor, RecordSearch search, CancellationToken ct)
    {
        var query = Matching(actor, search);
        var total = await query.CountAsync(ct);
        var rows = await search.PageOf(query)
            .Select(r => new Listed(r.Id, r.FileName, r.MediaKind, r.RecordedStart, r.DurationSeconds, r.OfficerBadge,
                db.Accounts.Where(a => a.Id == r.OfficerId).Select(a => a.DisplayName).FirstOrDefault(),
                r.DeviceCode, r.ActivityType, r.Size, r.SavedAt, r.LateSave, r.HasThumbnail)
            {
                UnitName = db.Units.Where(u => u.Id == r.UnitId).Select(u => u.ShortName ?? u.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var viewable = (await actor.Records(db.Records, Access.View).Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        return new Page(total, rows, viewable);
    }

    /// <summary>The records among <paramref name="ids"/> the person may know of, by id, as people recognise them.</summary>
    public async Task<Dictionary<string, Named>> NamesAsync(Scope actor, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return await actor.Records(db.Records.AsNoTracking()).Where(r => wanted.Contains(r.Id))
            .Select(r => new Named(r.Id, r.FileName, r.RecordedStart, db.Accounts.Where(a => a.Id == r.OfficerId).Select(a => a.DisplayName).FirstOrDefault()))
            .ToDictionaryAsync(n => n.Id, ct);
    }

    /// <summary>Those over a subtree (and auditors) pick among its people and devices; others only themselves and their unit's devices.</summary>
    public async Task<Choices> ChoicesAsync(Scope actor, CancellationToken ct)
    {
        var people = db.Accounts.AsNoTracking().Where(a => a.Badge != null);
        var wide = actor.Person.UnitPath is not null && actor.Person.Has(Roles.SubtreeRoles | Role.Auditor);
        var id = actor.Id;
        people = wide ? actor.People(people) : people.Where(a => a.Id == id);
        var officers = (await people.OrderBy(a => a.Badge).Select(a => new { a.Badge, a.DisplayName }).Take(500).ToListAsync(ct))
            .Select(a => (a.Badge!, a.DisplayName)).ToList();
        var unitId = actor.Person.UnitId;
        var devices = wide
            ? await db.Devices.AsNoTracking().Where(d => actor.Units(db.Units).Any(u => u.Id == d.UnitId)).OrderBy(d => d.Code).Select(d => d.Code).Take(500).ToListAsync(ct)
            : await db.Devices.AsNoTracking().Where(d => d.UnitId == unitId).OrderBy(d => d.Code).Select(d => d.Code).Take(500).ToListAsync(ct);
        return new Choices(officers, devices);
    }
}
