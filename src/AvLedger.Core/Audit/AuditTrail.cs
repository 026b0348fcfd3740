using System.Globalization;
using System.Runtime.CompilerServices;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Audit;

/// <summary>The audit trail for auditors, so it can be held against the ledger's leaves: in id order for
/// machines (<see cref="EventsAsync"/>), and searched by person, record, action and day for people
/// (<see cref="SearchAsync"/>, <see cref="ExportAsync"/>), each row naming its ledger leaf.</summary>
public sealed class AuditTrail(AvLedgerDb db)
{
    public const int MaxPageSize = 1000;
    public const int SearchPageSize = 50;
    /// <summary>At most this many rows in one CSV export; a wider search is narrowed first (the file says so in its last line).</summary>
    public const int MaxExportRows = 100_000;
    const int MaxFilterText = 100;

    public sealed record AuditEventView(string Id, string Action, string ActorId, string? RecordId, string? SubjectId, string? Detail, DateTimeOffset At, DateTimeOffset LastAt, int Requests, string? Ranges);
    public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, string? Next);

    /// <summary>What an auditor searches by; every part optional. <paramref name="Person"/> matches the actor's name
    /// (the whole name, else part of it), 执法证号 or username; <paramref name="Record"/> a record's id or part of its file name;
    /// <paramref name="Action"/> one of <see cref="AuditActions.Searchable"/>; <paramref name="From"/> and
    /// <paramref name="To"/> are Beijing calendar days, both included.</summary>
    public sealed record SearchFilter(string? Person = null, string? Record = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

    /// <summary>One audit event as an auditor reads it: who (name and 执法证号), what (kind and its Chinese name),
    /// when, about which record (its file name, recorder and recorded time), and the ledger leaf that holds it
    /// (null when not yet sequenced, or for events from before leaves named their event).</summary>
    public sealed record SearchRow(string Id, DateTimeOffset At, string Action, string ActionName, string ActorId, string? ActorName, string? ActorBadge,
        string? RecordId, string? RecordFileName, string? RecordDevice, DateTimeOffset? RecordedStart, string? SubjectId, string? SubjectName,
        string? Detail, int Requests, long? LeafIndex);

    /// <summary>An export under way: its own audit event and the rows, read as they are written out.</summary>
    public sealed record TrailExport(string EventId, IAsyncEnumerable<SearchRow> Rows);

    /// <summary>Newest first; <c>Next</c> is the <c>before</c> of the next page.</summary>
    public sealed record SearchPage(IReadOnlyList<SearchRow> Items, string? Next);

    public static int Clamp(int pageSize) => Math.Clamp(pageSize, 1, MaxPageSize);

    /// <summary>Events in id order (ids are time-ordered); <paramref name="after"/> = the previous page's <c>Next</c>.</summary>
    public async Task<Outcome<AuditPage>> EventsAsync(Scope actor, string? after, int pageSize, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        pageSize = Clamp(pageSize);
        var query = db.AuditEvents.AsNoTracking();
        if (after is not null) query = query.Where(e => e.Id.CompareTo(after) > 0);
        var items = await query.OrderBy(e => e.Id).Take(pageSize)
            .Select(e => new AuditEventView(e.Id, e.Action, e.ActorId, e.RecordId, e.SubjectId, e.Detail, e.At, e.LastAt, e.Requests, e.Ranges)).ToListAsync(ct);
        return new AuditPage(items, items.Count == pageSize ? items[^1].Id : null);
    }

    /// <summary>Events matching <paramref name="filter"/>, newest first (ids are time-ordered); <paramref name="before"/> =
    /// the previous page's <c>Next</c>.</summary>
    public async Task<Outcome<SearchPage>> SearchAsync(Scope actor, SearchFilter filter, string? before, int pageSize, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        if (Check(filter) is { } invalid) return invalid;
        pageSize = Clamp(pageSize);
        var items = await PageAsync(filter, before, pageSize, ct);
        return new SearchPage(items, items.Count == pageSize ? items[^1].Id : null);
    }

    /// <summary>Every matching event, newest first, at most <see cref="MaxExportRows"/>, read in pages as they are written
    /// out. The export is itself an access to the trail: it is audited and ledgered before the first row.</summary>
    public async Task<Outcome<TrailExport>> ExportAsync(Scope actor, SearchFilter filter, CancellationToken ct)
    {
        if (!actor.Person.Has(Role.Auditor)) return Refusal.Forbidden;
        if (Check(filter) is { } invalid) return invalid;
        var e = new AuditEvent
        {
            Id = Ids.New(), At = actor.Now, LastAt = actor.Now, ActorId = actor.Id, Action = AuditActions.TrailExported, Requests = 1,
            Detail = Describe(filter),
        };
        db.AuditEvents.Add(e);
        db.LedgerPending.Add(LedgerLeaves.Audit(e));
        await db.SaveChangesAsync(ct);
        return new TrailExport(e.Id, ExportRowsAsync(filter, e.Id, ct));
    }

    async IAsyncEnumerable<SearchRow> ExportRowsAsync(SearchFilter filter, string exportEventId, [EnumeratorCancellation] CancellationToken ct)
    {
        // The export's own event is newer than every row it lists; starting below it keeps it out of its own file.
        var before = exportEventId;
        var written = 0;
        while (written < MaxExportRows)
        {
            var page = await PageAsync(filter, before, Math.Min(MaxPageSize, MaxExportRows - written), ct);
            foreach (var row in page) yield return row;
            written += page.Count;
            if (page.Count < MaxPageSize) yield break;
            before = page[^1].Id;
        }
    }

    async Task<List<SearchRow>> PageAsync(SearchFilter filter, string? before, int pageSize, CancellationToken ct)
    {
        var query = await FilteredAsync(filter, ct);
        if (before is not null) query = query.Where(e => e.Id.CompareTo(before) < 0);
        var events = await query.OrderByDescending(e => e.Id).Take(pageSize).ToListAsync(ct);
        if (events.Count == 0) return [];

        // Names, records and leaves for the page in three IN queries, not one join per row (and no APPLY, which SQLite lacks).
        var accountIds = events.Select(e => e.ActorId).Concat(events.Where(e => e.SubjectId is not null).Select(e => e.SubjectId!)).Distinct().ToList();
        var people = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.DisplayName, a.Badge }).ToDictionaryAsync(a => a.Id, ct);
        var recordIds = events.Where(e => e.RecordId is not null).Select(e => e.RecordId!).Distinct().ToList();
        var records = await db.Records.AsNoTracking().Where(r => recordIds.Contains(r.Id))
            .Select(r => new { r.Id, r.FileName, r.DeviceCode, r.RecordedStart }).ToDictionaryAsync(r => r.Id, ct);
        var eventIds = events.Select(e => e.Id).ToList();
        var leaves = await db.LedgerLeaves.AsNoTracking().Where(l => l.AuditEventId != null && eventIds.Contains(l.AuditEventId))
            .Select(l => new { l.AuditEventId, l.Index }).ToListAsync(ct);
        var leafOf = leaves.GroupBy(l => l.AuditEventId!).ToDictionary(g => g.Key, g => g.Min(l => l.Index));

        return [.. events.Select(e =>
        {
            var who = people.GetValueOrDefault(e.ActorId);
            var record = e.RecordId is null ? null : records.GetValueOrDefault(e.RecordId);
            var subject = e.SubjectId is null ? null : people.GetValueOrDefault(e.SubjectId);
            return new SearchRow(e.Id, e.At, e.Action, EventNames.Of(e.Action), e.ActorId, who?.DisplayName, who?.Badge,
                e.RecordId, record?.FileName, record?.DeviceCode, record?.RecordedStart, e.SubjectId, subject?.DisplayName,
                e.Detail, e.Requests, leafOf.TryGetValue(e.Id, out var index) ? index : null);
        })];
    }

    async Task<IQueryable<AuditEvent>> FilteredAsync(SearchFilter filter, CancellationToken ct)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (Text(filter.Person) is { } person)
        {
            // A whole name, badge or username names those people; only when none matches is the text part of a name
            // (张伟 finds 张伟, not also 张伟明; 张 finds every 张).
            var actors = db.Accounts.Where(a => a.DisplayName == person || a.Badge == person || a.Username == person).Select(a => a.Id);
            if (!await actors.AnyAsync(ct)) actors = db.Accounts.Where(a => a.DisplayName.Contains(person)).Select(a => a.Id);
            query = query.Where(e => actors.Contains(e.ActorId));
        }
        if (Text(filter.Record) is { } record)
        {
            var records = db.Records.Where(r => r.Id == record || r.FileName.Contains(record)).Select(r => r.Id);
            query = query.Where(e => e.RecordId != null && records.Contains(e.RecordId));
        }
        if (Text(filter.Action) is { } action) query = query.Where(e => e.Action == action);
        if (filter.From is { } from)
        {
            var start = BeijingMidnight(from).ToUniversalTime();
            query = query.Where(e => e.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = BeijingMidnight(to.AddDays(1)).ToUniversalTime();
            query = query.Where(e => e.At < end);
        }
        return query;
    }

    /// <summary>The start of a Beijing calendar day (China keeps no daylight saving time).</summary>
    public static DateTimeOffset BeijingMidnight(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue), RecordingTimes.China.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));

    static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    static Refusal? Check(SearchFilter filter)
    {
        if (Text(filter.Action) is { } action && !AuditActions.Searchable.Contains(action, StringComparer.Ordinal))
            return new Refusal(400, "audit-filter-invalid", "action-unknown", action);
        if (filter.From > filter.To) return new Refusal(400, "audit-filter-invalid", "range-reversed");
        if (Text(filter.Person)?.Length > MaxFilterText || Text(filter.Record)?.Length > MaxFilterText)
            return new Refusal(400, "audit-filter-invalid", "text-long", MaxFilterText);
        return null;
    }

    /// <summary>The export's detail: identifiers only (kind, days, and whether a person or record was named, never the typed text).</summary>
    static string Describe(SearchFilter f) => string.Join(';', new[]
    {
        Text(f.Action) is { } a ? $"action={a}" : null,
        f.From is { } from ? $"from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : null,
        f.To is { } to ? $"to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : null,
        Text(f.Person) is null ? null : "person",
        Text(f.Record) is null ? null : "record",
    }.Where(p => p is not null)) is { Length: > 0 } described ? described : "all";
}
