using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Core.Units;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Cases;

/// <summary>Art. 15 (R-15b): the enforcement management system's cases and on-site enforcement events,
/// already read into rows (field names lower-cased). All or nothing: one bad line and nothing is
/// stored, and every bad line is named. Cases are upserted by number, events are idempotent by
/// externalId; then records are linked automatically. The answer is counts only: the importer need
/// not be allowed to see the records it links.</summary>
public sealed class CaseImport(AvLedgerDb db, CaseLinkBuffer buffer)
{
    public const int MaxRows = 10_000;
    public static readonly TimeSpan MaxEventSpan = TimeSpan.FromDays(7);

    public sealed record Row(int Line, IReadOnlyDictionary<string, string> Fields)
    {
        public string? Field(string name) => Fields.TryGetValue(name.ToLowerInvariant(), out var v) && v.Trim().Length > 0 ? v.Trim() : null;
    }

    public sealed record CasesImported(int Cases, int Links);
    public sealed record EventsImported(int Events, int Duplicates, int Links);

    /// <summary>A case field's problem as an import line says it: English, then Chinese.</summary>
    static string Says(Refusal bad) => $"{bad.Detail(Refusal.English)} / {bad.Detail(Refusal.Chinese)}";

    public async Task<Outcome<CasesImported>> CasesAsync(Scope importer, IReadOnlyList<Row> rows, CancellationToken ct)
    {
        var now = importer.Now;
        // The integration account (an administrator) may file cases anywhere; a legal officer within their subtree.
        var anywhere = importer.Person.Has(Role.SystemAdministrator);
        var codes = rows.Select(r => r.Field("unitCode")).OfType<string>().Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => codes.Contains(u.Code) && !u.Disabled).ToDictionaryAsync(u => u.Code, ct);
        var numbers = rows.Select(r => r.Field("number")).OfType<string>().Distinct().ToList();
        var existing = await db.Cases.Where(c => numbers.Contains(c.Number)).ToDictionaryAsync(c => c.Number, ct);
        var lines = new List<ImportLine>();
        var seen = new Dictionary<string, int>();
        var valid = new List<(string Number, string Title, string? Type, CaseStatus? Status, Unit Unit, string? Plates, string? Parties)>();
        foreach (var row in rows)
        {
            var line = row.Line;
            var number = row.Field("number");
            if (CaseRegister.Check(number, row.Field("title"), row.Field("type"), row.Field("plates"), row.Field("parties")) is { } bad)
            {
                lines.Add(new ImportLine(line, Says(bad)));
                continue;
            }
            if (seen.TryGetValue(number!, out var first))
            {
                lines.Add(new ImportLine(line, $"case number {number} also on line {first} / 案号 {number} 与第 {first} 行重复"));
                continue;
            }
            seen[number!] = line;
            CaseStatus? status = null;
            if (row.Field("status") is { } s)
            {
                if (!Enum.TryParse<CaseStatus>(s, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    lines.Add(new ImportLine(line, $"unknown status {s} (open, closed, archived) / 未知状态 {s}"));
                    continue;
                }
                status = parsed;
            }
            var code = row.Field("unitCode")!;
            if (!units.TryGetValue(code, out var unit) || !(anywhere || importer.Covers(unit.Path)))
            {
                lines.Add(new ImportLine(line, $"unit {code} does not exist or is outside your scope / 单位 {code} 不存在或不在您的管辖范围内"));
                continue;
            }
            if (!anywhere && existing.TryGetValue(number!, out var other) && !importer.Covers(other.UnitPath))
            {
                lines.Add(new ImportLine(line, $"case {number} belongs to a unit outside your scope / 案件 {number} 属于您管辖范围以外的单位"));
                continue;
            }
            valid.Add((number!, row.Field("title")!, row.Field("type"), status, unit, row.Field("plates"), row.Field("parties")));
        }
        if (lines.Count > 0) return ImportRefusal.Of(lines);

        var links = 0;
        foreach (var row in valid)
        {
            if (existing.TryGetValue(row.Number, out var @case))
            {
                var changed = @case.Title != row.Title || @case.CaseType != row.Type || @case.UnitId != row.Unit.Id || @case.Plates != row.Plates || @case.Parties != row.Parties;
                (@case.Title, @case.CaseType, @case.UnitId, @case.UnitPath, @case.Plates, @case.Parties) = (row.Title, row.Type, row.Unit.Id, row.Unit.Path, row.Plates, row.Parties);
                if (changed) db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.updated", @case, importer.Id, now));
                if (row.Status is { } status && status != @case.Status)
                {
                    // The enforcement management system is where cases are decided: its status is taken as it comes.
                    @case.Status = status;
                    @case.ClosedAt = status == CaseStatus.Open ? null : @case.ClosedAt ?? now;
                    db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.status", @case, importer.Id, now));
                }
            }
            else
            {
                var status = row.Status ?? CaseStatus.Open;
                @case = new Case
                {
                    Id = Ids.New(), Number = row.Number, Title = row.Title, CaseType = row.Type, Status = status, UnitId = row.Unit.Id, UnitPath = row.Unit.Path,
                    Plates = row.Plates, Parties = row.Parties, CreatedAt = now, ClosedAt = status == CaseStatus.Open ? null : now,
                };
                db.Cases.Add(@case);
                db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.created", @case, importer.Id, now));
            }
            links += await CaseLinking.LinkCaseAsync(db, @case, buffer.Value, importer.Id, now, ct);
        }
        await CaseRegister.SaveKeepingRetentionAsync(db, valid.Select(v => v.Number).ToList(), now, ct);
        return new CasesImported(valid.Count, links);
    }

    public async Task<Outcome<EventsImported>> EventsAsync(Scope importer, IReadOnlyList<Row> rows, CancellationToken ct)
    {
        var now = importer.Now;
        var externalIds = rows.Select(r => r.Field("externalId")).OfType<string>().Distinct().ToList();
        var known = (await db.EnforcementEvents.Where(e => e.ExternalId != null && externalIds.Contains(e.ExternalId)).Select(e => e.ExternalId!).ToListAsync(ct)).ToHashSet();
        var lines = new List<ImportLine>();
        var fresh = new List<EnforcementEvent>();
        var duplicates = 0;
        foreach (var row in rows)
        {
            var badge = row.Field("officerBadge");
            var number = row.Field("caseNumber");
            var externalId = row.Field("externalId");
            // A time without an offset is Beijing time, as the enforcement management system keeps it.
            var start = RecordingTimes.ParseDeviceTime(row.Field("start"), RecordingTimes.China);
            var end = RecordingTimes.ParseDeviceTime(row.Field("end"), RecordingTimes.China);
            var place = row.Field("place");
            string? wrong =
                badge is null || badge.Length > 50 ? "officerBadge is required (at most 50 characters) / 须填写执法证号"
                : CaseRegister.Check(number, "-", null, null, null) is { } bad ? $"caseNumber: {Says(bad)}"
                : start is null ? $"start is not a time: {row.Field("start")} / 开始时间格式错误"
                : end is null ? $"end is not a time: {row.Field("end")} / 结束时间格式错误"
                : end < start ? "end is before start / 结束时间早于开始时间"
                : end - start > MaxEventSpan ? $"an event lasts at most {MaxEventSpan.TotalDays} days / 现场执法事件不超过 {MaxEventSpan.TotalDays} 天"
                : place?.Length > 500 ? "place is at most 500 characters / 地点不超过 500 字"
                : externalId?.Length > 200 ? "externalId is at most 200 characters / 事件编号不超过 200 字"
                : null;
            if (wrong is not null)
            {
                lines.Add(new ImportLine(row.Line, wrong));
                continue;
            }
            // Sent again (a retry, or the same event in two files): already here, nothing to do.
            if (externalId is not null && !known.Add(externalId))
            {
                duplicates++;
                continue;
            }
            fresh.Add(new EnforcementEvent
            {
                Id = Ids.New(), ExternalId = externalId, OfficerBadge = badge!, Start = start!.Value, End = end!.Value, Place = place,
                CaseNumber = number!.Trim(), ImportedAt = now,
            });
        }
        if (lines.Count > 0) return ImportRefusal.Of(lines);

        var links = 0;
        foreach (var ev in fresh)
        {
            db.EnforcementEvents.Add(ev);
            db.LedgerPending.Add(LedgerLeaves.EnforcementEventImported(ev, importer.Id, now));
            links += await CaseLinking.LinkEventAsync(db, ev, buffer.Value, importer.Id, now, ct);
        }
        await CaseRegister.SaveKeepingRetentionAsync(db, fresh.Select(e => e.CaseNumber).Distinct().ToList(), now, ct);
        return new EventsImported(fresh.Count, duplicates, links);
    }
}
