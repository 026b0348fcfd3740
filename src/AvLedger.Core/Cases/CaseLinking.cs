using System.Globalization;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Cases;

/// <summary>Art. 15 (R-15a/b): records organised by case. An on-site enforcement event from the
/// enforcement management system links every record of the same officer whose recording overlaps the
/// event's time, widened by a buffer on both sides, to the event's case. Events and cases may arrive
/// in either order, and records after both; whichever comes last makes the link. Each link says why
/// and is a ledger leaf; nothing is linked twice. Links are added to <paramref name="db"/>; the
/// caller saves.</summary>
public static class CaseLinking
{
    /// <summary>Who made links nobody asked for: the ingest of a record that arrived after its event.</summary>
    public const string SystemActor = "system";

    public static readonly TimeSpan DefaultBuffer = TimeSpan.FromMinutes(15);

    /// <summary>Links the records an event covers to its case, if the case is already known. Returns the links made.</summary>
    public static async Task<int> LinkEventAsync(AvLedgerDb db, EnforcementEvent ev, TimeSpan buffer, string actorId, DateTimeOffset now, CancellationToken ct)
    {
        var @case = await FindCaseAsync(db, ev.CaseNumber, ct);
        if (@case is null) return 0;
        var from = ev.Start - buffer;
        var to = ev.End + buffer;
        var records = await db.Records.AsNoTracking()
            .Where(r => r.OfficerBadge == ev.OfficerBadge && r.RecordedStartSource != RecordedTimeSources.Unknown && r.RecordedStart <= to && r.RecordedEnd >= from)
            .Select(r => r.Id).ToListAsync(ct);
        var made = 0;
        foreach (var recordId in records)
            if (await AddAsync(db, @case, recordId, ev, buffer, actorId, now, ct)) made++;
        return made;
    }

    /// <summary>Links, for a case that has just arrived, the records of every event already waiting for it.</summary>
    public static async Task<int> LinkCaseAsync(AvLedgerDb db, Case @case, TimeSpan buffer, string actorId, DateTimeOffset now, CancellationToken ct)
    {
        var events = await db.EnforcementEvents.AsNoTracking().Where(e => e.CaseNumber == @case.Number).ToListAsync(ct);
        events.AddRange(db.EnforcementEvents.Local.Where(e => e.CaseNumber == @case.Number && events.All(x => x.Id != e.Id)));
        var made = 0;
        foreach (var ev in events) made += await LinkEventAsync(db, ev, buffer, actorId, now, ct);
        return made;
    }

    /// <summary>Links a record that arrives after the events that cover it (called by the ingest, before it saves).</summary>
    public static async Task<int> LinkNewRecordAsync(AvLedgerDb db, Record record, TimeSpan buffer, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        // A record whose time is unknown overlaps nothing yet: it is linked once a head confirms a time.
        if (record.OfficerBadge is null || record.RecordedStartSource == RecordedTimeSources.Unknown) return 0;
        var latestStart = record.RecordedEnd + buffer;
        var earliestEnd = record.RecordedStart - buffer;
        var events = await db.EnforcementEvents.AsNoTracking()
            .Where(e => e.OfficerBadge == record.OfficerBadge && e.Start <= latestStart && e.End >= earliestEnd)
            .OrderBy(e => e.Start).ToListAsync(ct);
        var made = 0;
        foreach (var ev in events)
            if (await FindCaseAsync(db, ev.CaseNumber, ct) is { } @case && await AddAsync(db, @case, record.Id, ev, buffer, SystemActor, now, ct)) made++;
        return made;
    }

    /// <summary>A link made by hand: no event, no reason beyond the person who made it.</summary>
    public static async Task<CaseLink?> LinkByHandAsync(AvLedgerDb db, Case @case, string? recordId, string? sessionId, string actorId, DateTimeOffset now, CancellationToken ct)
    {
        if (await IsLinkedAsync(db, @case.Id, recordId, sessionId, ct)) return null;
        var link = new CaseLink { Id = Ids.New(), CaseId = @case.Id, RecordId = recordId, SessionId = sessionId, Automatic = false, LinkedById = actorId, LinkedAt = now };
        db.CaseLinks.Add(link);
        db.LedgerPending.Add(LedgerLeaves.CaseLinked(link, @case.Number, now));
        return link;
    }

    /// <summary>The facts that made an automatic link, as an officer reads them (times in Beijing time).</summary>
    public static string Reason(EnforcementEvent ev, TimeSpan buffer)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var start = RecordingTimes.ToChina(ev.Start);
        var end = RecordingTimes.ToChina(ev.End);
        var endText = end.Date == start.Date ? end.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : end.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var place = string.IsNullOrWhiteSpace(ev.Place) ? "" : $"，地点：{ev.Place}";
        var external = ev.ExternalId is null ? "" : $"（事件编号 {ev.ExternalId}）";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"执法管理系统现场执法事件{external}：执法证号 {ev.OfficerBadge}，{start:yyyy-MM-dd HH:mm:ss} 至 {endText}（北京时间）{place}；本记录为该执法证号所录，录制时间与事件时间（前后各放宽 {buffer.TotalMinutes:0.##} 分钟）重叠，自动关联至案件 {ev.CaseNumber}。");
        return text.Length <= 1000 ? text : text[..1000];
    }

    static async Task<Case?> FindCaseAsync(AvLedgerDb db, string number, CancellationToken ct) =>
        db.Cases.Local.FirstOrDefault(c => c.Number == number) ?? await db.Cases.SingleOrDefaultAsync(c => c.Number == number, ct);

    static async Task<bool> AddAsync(AvLedgerDb db, Case @case, string recordId, EnforcementEvent ev, TimeSpan buffer, string actorId, DateTimeOffset now, CancellationToken ct)
    {
        if (await IsLinkedAsync(db, @case.Id, recordId, null, ct)) return false;
        var link = new CaseLink
        {
            Id = Ids.New(), CaseId = @case.Id, RecordId = recordId, Automatic = true, EventId = ev.Id,
            Reason = Reason(ev, buffer), LinkedById = actorId, LinkedAt = now,
        };
        db.CaseLinks.Add(link);
        db.LedgerPending.Add(LedgerLeaves.CaseLinked(link, @case.Number, now));
        return true;
    }

    // Links not yet saved count too: one import can name the same record twice.
    static async Task<bool> IsLinkedAsync(AvLedgerDb db, string caseId, string? recordId, string? sessionId, CancellationToken ct) =>
        db.CaseLinks.Local.Any(l => l.CaseId == caseId && l.RecordId == recordId && l.SessionId == sessionId)
        || await db.CaseLinks.AnyAsync(l => l.CaseId == caseId && l.RecordId == recordId && l.SessionId == sessionId, ct);
}
