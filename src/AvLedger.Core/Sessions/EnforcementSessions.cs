using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Sessions;

/// <summary>Art. 9 and 11 (R-9, R-11a): enforcement sessions, their one timeline of segments and gaps,
/// and the reports that explain each interruption.</summary>
public sealed class EnforcementSessions(AvLedgerDb db, ActivityTypeCatalog types, EnforcementSessions.Settings settings)
{
    /// <summary>A gap between segments longer than <paramref name="InterruptionThreshold"/> is an interruption to explain (Art. 11).</summary>
    public sealed record Settings(TimeSpan InterruptionThreshold);

    public sealed record NewSession(string? ActivityType, string? Title, string? Location, List<string>? Officers, List<string>? Devices, DateTimeOffset? Start, DateTimeOffset? End);
    public sealed record SessionChange(string? ActivityType, string? Title, string? Location);
    public sealed record NewInterruptionReport(string? GapId, string? Reason, string? ExplanationRecordId, double? ExplanationOffsetSeconds, string? ReportedTo, string? DocumentNote);

    public sealed record SegmentView(string? RecordId, bool Visible, string? DeviceCode, string? OfficerBadge, DateTimeOffset Start, DateTimeOffset End, int Lane, double? DurationSeconds, string? MediaKind);
    public sealed record GapView(string Id, DateTimeOffset From, DateTimeOffset To, double Seconds, bool Explained, string? ReportId);
    public sealed record ReportView(string Id, DateTimeOffset From, DateTimeOffset To, string Reason, string? ExplanationRecordId, double? ExplanationOffsetSeconds, string ReportedTo, string DocumentNote, string ReportedBy, DateTimeOffset ReportedAt);
    public sealed record SessionView(string Id, string? ActivityType, string? ActivityTypeName, bool ActivityTypeToBeCompleted, bool AutoGrouped, string? Title, string? Location,
        string UnitId, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<string?> Officers, IReadOnlyList<string> Devices,
        IReadOnlyList<SegmentView> Segments, IReadOnlyList<GapView> Gaps, IReadOnlyList<ReportView> Reports, int UnexplainedGaps, bool Flagged);
    public sealed record SessionSummary(string Id, string? ActivityType, bool ActivityTypeToBeCompleted, string? Title, string? Location, DateTimeOffset Start, DateTimeOffset End, int Segments, int UnexplainedGaps = 0)
    {
        /// <summary>The officers as people know them: name and 执法证号.</summary>
        public IReadOnlyList<OfficerName> Officers { get; init; } = [];
        /// <summary>The unit's short name (文号代字) or, without one, its name.</summary>
        public string? UnitName { get; init; }

        public bool Flagged => ActivityTypeToBeCompleted || UnexplainedGaps > 0;
    }
    public sealed record SessionList(List<SessionSummary> Items, int Total);
    public sealed record OfficerName(string Name, string? Badge);

    /// <summary>A segment the viewer may copy, in the players: its stream and its offset from its cluster's start.</summary>
    public sealed record Playable(string RecordId, string Source, double Offset, string? DeviceCode, string? OfficerBadge, DateTimeOffset RecordedStart);
    /// <summary>A head an interruption may be reported to; <paramref name="OwnUnit"/>: the head of the session's own
    /// unit, not of a unit above it (a unit without a head of its own reports to the nearest one above).</summary>
    public sealed record Head(string Username, string DisplayName, string UnitName, bool OwnUnit);
    /// <summary>The session page: the session, what the viewer may do with it, the heads an interruption is
    /// reported to (nearest unit first), the segments they may only view, and what plays side by side.</summary>
    public sealed record SessionDesk(SessionView View, bool MayChange, bool IsMember, IReadOnlyList<Head> Heads, IReadOnlySet<string> ViewOnly, IReadOnlyList<IReadOnlyList<Playable>> Clusters);

    static readonly TimeSpan MaxCreatedSpan = TimeSpan.FromHours(24);

    internal static Refusal Invalid(string reason, params object[] args) => new(400, "invalid-input", reason, args);

    static Refusal NotYours { get; } = new(403, "not-your-session");

    /// <summary>A value echoed in a refusal is cut short: whatever was sent is not repeated at length.</summary>
    static string Short(string s) => s.Length > 64 ? s[..64] + "…" : s;

    /// <summary>The gaps of each session, with whether a report explains them, in two queries for the lot.</summary>
    public async Task<Dictionary<string, IReadOnlyList<SessionTimeline.Gap>>> GapsAsync(List<string> ids, CancellationToken ct)
    {
        var segments = (await db.Records.AsNoTracking().Where(r => r.SessionId != null && ids.Contains(r.SessionId))
            .Select(r => new { SessionId = r.SessionId!, r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd }).ToListAsync(ct)).ToLookup(r => r.SessionId);
        var reports = (await db.InterruptionReports.AsNoTracking().Where(r => ids.Contains(r.SessionId)).ToListAsync(ct)).ToLookup(r => r.SessionId);
        return ids.ToDictionary(id => id, id => SessionTimeline.Gaps(
            SessionTimeline.Lay(segments[id].Select(r => (r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd))), reports[id], settings.InterruptionThreshold));
    }

    /// <summary>How many gaps of each session still lack a report.</summary>
    public async Task<Dictionary<string, int>> UnexplainedGapsAsync(List<string> ids, CancellationToken ct) =>
        (await GapsAsync(ids, ct)).ToDictionary(x => x.Key, x => x.Value.Count(g => !g.Explained));

    /// <summary>The session the person may know of, tracked, with its officers and devices.</summary>
    async Task<EnforcementSession?> FindAsync(Scope actor, string id, CancellationToken ct) =>
        Ids.LooksValid(id) ? await actor.Sessions(db.Sessions).Include(s => s.Officers).Include(s => s.Devices).SingleOrDefaultAsync(s => s.Id == id, ct) : null;

    /// <summary>Its officers, and heads over its unit, complete a session's activity type, title and location (<see cref="Scope.MayChange"/>).</summary>
    public async Task<Refusal?> ChangeAsync(Scope actor, string id, SessionChange change, CancellationToken ct)
    {
        var session = await FindAsync(actor, id, ct);
        if (session is null) return Refusal.NotFound;
        if (!actor.MayChange(session)) return NotYours;
        if (change.ActivityType is not null && !types.IsKnown(change.ActivityType)) return Invalid("activity-type-unknown", Short(change.ActivityType));
        if (change.Title?.Length > 500 || change.Location?.Length > 500) return Invalid("title-and-location");
        if (change.ActivityType is null && change.Title is null && change.Location is null) return Invalid("nothing-to-change");
        if (change.ActivityType is not null) session.ActivityType = change.ActivityType;
        if (change.Title is not null) session.Title = change.Title.Trim();
        if (change.Location is not null) session.Location = change.Location.Trim();
        Ledger(session, actor);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>A change of a session's type, title or location as a leaf; the free text only as a commitment.</summary>
    void Ledger(EnforcementSession session, Scope actor) =>
        db.LedgerPending.Add(LedgerLeaves.SessionChanged("session.changed", session, actor.Id, AccessRequests.Commit(session.Id, $"{session.Title}\n{session.Location}"), actor.Now));

    /// <summary>One activity type for many sessions at once (a head or officer clearing a list of 待补充): all
    /// or nothing — an unknown or foreign session, or an unknown type, changes none of them.</summary>
    public async Task<Outcome<int>> CompleteActivityTypeAsync(Scope actor, IReadOnlyCollection<string> ids, string? activityType, CancellationToken ct)
    {
        var wanted = ids.Where(Ids.LooksValid).Distinct().ToList();
        if (wanted.Count == 0 || string.IsNullOrEmpty(activityType)) return Invalid("nothing-to-change");
        if (!types.IsKnown(activityType)) return Invalid("activity-type-unknown", Short(activityType));
        if (wanted.Count != ids.Distinct().Count()) return Refusal.NotFound;
        var sessions = await actor.Sessions(db.Sessions).Include(s => s.Officers).Include(s => s.Devices).Where(s => wanted.Contains(s.Id)).ToListAsync(ct);
        if (sessions.Count != wanted.Count) return Refusal.NotFound;
        if (sessions.Any(s => !actor.MayChange(s))) return NotYours;
        foreach (var session in sessions)
        {
            session.ActivityType = activityType;
            Ledger(session, actor);
        }
        await db.SaveChangesAsync(ct);
        return sessions.Count;
    }

    /// <summary>Whom the person may name on a session they create: the other officers of their own unit (<see cref="CreateAsync"/>'s rule).</summary>
    public async Task<List<OfficerName>> ColleaguesAsync(Scope actor, CancellationToken ct)
    {
        var unitId = actor.Person.UnitId;
        var id = actor.Id;
        return unitId is null ? [] : await db.Accounts.AsNoTracking()
            .Where(a => a.UnitId == unitId && a.Id != id && a.Badge != null && !a.Disabled).OrderBy(a => a.Badge).Take(500)
            .Select(a => new OfficerName(a.DisplayName, a.Badge)).ToListAsync(ct);
    }

    public async Task<Outcome<EnforcementSession>> CreateAsync(Scope actor, NewSession s, CancellationToken ct)
    {
        var person = actor.Person;
        if (!person.Has(Role.Officer | Role.DepartmentHead) || person.UnitId is null || person.UnitPath is null) return Refusal.Forbidden;
        if (s.ActivityType is null || !types.IsKnown(s.ActivityType)) return Invalid("choose-activity-type", new Listing(types.All.Keys));
        if (s.Title?.Length > 500 || s.Location?.Length > 500) return Invalid("title-and-location");
        var now = actor.Now;
        var start = s.Start ?? now;
        var end = s.End ?? start;
        if (end < start) return Invalid("end-before-start");
        // Art. 9: one on-site activity. A span of years would catch every later upload of its officers.
        if (end - start > MaxCreatedSpan)
            return new Refusal(400, "session-span-too-long", null, MaxCreatedSpan.TotalHours, RecordingTimes.ToChina(start), RecordingTimes.ToChina(end));
        var badges = (s.Officers ?? []).Distinct().ToList();
        var officers = await db.Accounts.Where(a => a.Badge != null && badges.Contains(a.Badge)).Select(a => new { a.Id, a.Badge, a.UnitId }).ToListAsync(ct);
        if (badges.Except(officers.Select(o => o.Badge!)).FirstOrDefault() is { } unknown) return Invalid("unknown-badge", Short(unknown));
        // Naming someone brings their later uploads into the session: only colleagues of one's own unit.
        if (officers.FirstOrDefault(o => o.UnitId != person.UnitId) is { } foreign) return new Refusal(400, "officer-not-of-your-unit", null, foreign.Badge!);
        var codes = (s.Devices ?? []).Distinct().ToList();
        var devices = await db.Devices.Where(d => codes.Contains(d.Code)).Select(d => d.Code).ToListAsync(ct);
        if (codes.Except(devices).FirstOrDefault() is { } unknownDevice) return Invalid("device-unregistered", Short(unknownDevice));

        var session = new EnforcementSession
        {
            Id = Ids.New(),
            ActivityType = s.ActivityType,
            Title = s.Title?.Trim(),
            Location = s.Location?.Trim(),
            UnitId = person.UnitId,
            UnitPath = person.UnitPath,
            CreatedById = actor.Id,
            CreatedAt = now,
            Start = start,
            End = end,
        };
        var memberIds = officers.Select(o => o.Id).ToHashSet();
        if (person.Has(Role.Officer)) memberIds.Add(actor.Id);
        session.Officers.AddRange(memberIds.Select(id => new SessionOfficer { SessionId = session.Id, AccountId = id }));
        session.Devices.AddRange(devices.Select(code => new SessionDevice { SessionId = session.Id, DeviceCode = code }));
        db.Sessions.Add(session);
        db.LedgerPending.Add(LedgerLeaves.SessionChanged("session.created", session, actor.Id, null, now));
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>The sessions the person may know of, latest first, a page of at most 200; <paramref name="officer"/>
    /// is an officer's 执法证号 or part of their name, <paramref name="unit"/> a unit code (its subtree).</summary>
    public async Task<SessionList> ListAsync(Scope actor, DateTimeOffset? from, DateTimeOffset? to, bool? toBeCompleted, int page, int pageSize, CancellationToken ct,
        string? officer = null, string? unit = null)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        page = Math.Max(1, page);
        var query = actor.Sessions(db.Sessions.AsNoTracking());
        if (from is { } f) query = query.Where(s => s.End >= f);
        if (to is { } t) query = query.Where(s => s.Start < t);
        if (toBeCompleted is { } pending) query = query.Where(s => (s.ActivityType == null) == pending);
        if (!string.IsNullOrWhiteSpace(officer))
        {
            var o = officer.Trim();
            var people = db.Accounts.Where(a => a.Badge == o || a.DisplayName.Contains(o)).Select(a => a.Id);
            query = query.Where(s => s.Officers.Any(x => people.Contains(x.AccountId)));
        }
        if (!string.IsNullOrWhiteSpace(unit))
        {
            var path = await db.Units.Where(u => u.Code == unit.Trim()).Select(u => u.Path).SingleOrDefaultAsync(ct);
            query = path is null ? query.Where(_ => false) : query.Where(s => s.UnitPath.StartsWith(path));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(s => s.Start).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new { Summary = new SessionSummary(s.Id, s.ActivityType, s.ActivityType == null, s.Title, s.Location, s.Start, s.End, db.Records.Count(r => r.SessionId == s.Id), 0), s.UnitId })
            .ToListAsync(ct);
        var items = rows.Select(r => r.Summary).ToList();
        var unitIds = rows.ToDictionary(r => r.Summary.Id, r => r.UnitId);
        var ids = items.Select(i => i.Id).ToList();
        var gaps = await UnexplainedGapsAsync(ids, ct);
        var officers = (await db.SessionOfficers.AsNoTracking().Where(o => ids.Contains(o.SessionId))
                .Join(db.Accounts, o => o.AccountId, a => a.Id, (o, a) => new { o.SessionId, a.DisplayName, a.Badge }).ToListAsync(ct))
            .GroupBy(o => o.SessionId).ToDictionary(g => g.Key, g => g.OrderBy(o => o.Badge).Select(o => new OfficerName(o.DisplayName, o.Badge)).ToList());
        var wanted = unitIds.Values.Distinct().ToList();
        var unitNames = await db.Units.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.ShortName ?? u.Name, ct);
        return new SessionList(items.Select(i => i with
        {
            Start = RecordingTimes.ToChina(i.Start), End = RecordingTimes.ToChina(i.End), UnexplainedGaps = gaps.GetValueOrDefault(i.Id),
            Officers = officers.GetValueOrDefault(i.Id) ?? [], UnitName = unitNames.GetValueOrDefault(unitIds.GetValueOrDefault(i.Id) ?? ""),
        }).ToList(), total);
    }

    /// <summary>The session as the person may see it, or not found when they may not know it exists.
    /// Every segment's span is shown (the timeline is the session's), but only segments the person may see are named.</summary>
    public async Task<Outcome<SessionView>> ViewAsync(Scope actor, string id, CancellationToken ct)
    {
        if (!Ids.LooksValid(id)) return Refusal.NotFound;
        var session = await actor.Sessions(db.Sessions.AsNoTracking()).Include(s => s.Officers).Include(s => s.Devices).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return Refusal.NotFound;
        var records = await db.Records.AsNoTracking().Where(r => r.SessionId == id)
            .Select(r => new { r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd, r.DurationSeconds, r.MediaKind }).ToListAsync(ct);
        var visible = (await actor.Records(db.Records.AsNoTracking()).Where(r => r.SessionId == id).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var reports = await db.InterruptionReports.AsNoTracking().Where(r => r.SessionId == id).ToListAsync(ct);
        var laid = SessionTimeline.Lay(records.Select(r => (r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd)));
        var gaps = SessionTimeline.Gaps(laid, reports, settings.InterruptionThreshold);
        var byId = records.ToDictionary(r => r.Id);
        var officerIds = session.Officers.Select(o => o.AccountId).ToList();
        var badges = await db.Accounts.Where(a => officerIds.Contains(a.Id)).Select(a => a.Badge).ToListAsync(ct);
        var people = reports.Select(r => r.ReportedToId).Concat(reports.Select(r => r.ReportedById)).Distinct().ToList();
        var names = await db.Accounts.Where(a => people.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        var unexplained = gaps.Count(g => !g.Explained);
        static DateTimeOffset C(DateTimeOffset t) => RecordingTimes.ToChina(t);
        return new SessionView(session.Id, session.ActivityType, types.NameOf(session.ActivityType), session.ActivityType is null, session.AutoGrouped, session.Title, session.Location,
            session.UnitId, C(session.Start), C(session.End), badges.Order(StringComparer.Ordinal).ToList(), session.Devices.Select(d => d.DeviceCode).Order(StringComparer.Ordinal).ToList(),
            laid.Select(s => visible.Contains(s.RecordId)
                ? new SegmentView(s.RecordId, true, s.DeviceCode, s.OfficerBadge, C(s.Start), C(s.End), s.Lane, byId[s.RecordId].DurationSeconds, byId[s.RecordId].MediaKind)
                : new SegmentView(null, false, null, null, C(s.Start), C(s.End), s.Lane, null, null)).ToList(),
            gaps.Select(g => new GapView(g.Id, C(g.From), C(g.To), g.Seconds, g.Explained, g.ReportId)).ToList(),
            reports.OrderBy(r => r.From).Select(r => new ReportView(r.Id, C(r.From), C(r.To), CamelNames.Of(r.Reason.ToString()),
                r.ExplanationRecordId is { } spoken && visible.Contains(spoken) ? spoken : null, r.ExplanationOffsetSeconds,
                names.GetValueOrDefault(r.ReportedToId, ""), r.DocumentNote, names.GetValueOrDefault(r.ReportedById, ""), C(r.ReportedAt))).ToList(),
            unexplained, unexplained > 0 || session.ActivityType is null);
    }

    /// <summary>What the session page shows the person: <see cref="ViewAsync"/> and what they may do with it.
    /// Only what they may copy goes in the players (<see cref="WebPlayback.StreamOf"/>); segments they may only
    /// view play on their record page, as the viewer's watermarked stream.</summary>
    public async Task<Outcome<SessionDesk>> DeskAsync(Scope actor, string id, CancellationToken ct)
    {
        var view = await ViewAsync(actor, id, ct);
        if (view.Refusal is { } refused) return refused;
        var session = await db.Sessions.AsNoTracking().Include(s => s.Officers).SingleAsync(s => s.Id == id, ct);
        var path = session.UnitPath;
        var heads = (await db.Accounts.AsNoTracking().Where(a => !a.Disabled && a.UnitPath != null && (a.Roles & Role.DepartmentHead) == Role.DepartmentHead)
                .Select(a => new { a.Username, a.DisplayName, a.UnitPath, Unit = db.Units.Where(u => u.Id == a.UnitId).Select(u => u.Name).FirstOrDefault() }).ToListAsync(ct))
            .Where(a => Scope.Under(path, a.UnitPath)).OrderByDescending(a => a.UnitPath!.Length)
            .Select(a => new Head(a.Username, a.DisplayName, a.Unit ?? "", a.UnitPath == path)).ToList();
        var playable = await actor.Records(db.Records.AsNoTracking(), Access.Copy).Where(r => r.SessionId == id).ToListAsync(ct);
        var copyable = playable.Select(r => r.Id).ToHashSet();
        var viewOnly = (await actor.Records(db.Records.AsNoTracking(), Access.View).Where(r => r.SessionId == id && r.PurgedAt == null).Select(r => r.Id).ToListAsync(ct))
            .Where(r => !copyable.Contains(r)).ToHashSet();
        var streams = playable.Where(r => r.MediaKind != "photo")
            .Select(r => (r, stream: WebPlayback.StreamOf(r))).Where(x => x.stream is not null)
            .Select(x => (Item: new Playable(x.r.Id, x.stream!.Url, 0, x.r.DeviceCode, x.r.OfficerBadge, x.r.RecordedStart), Start: x.r.RecordedStart, End: x.r.RecordedEnd));
        var clusters = SessionTimeline.Clusters(streams).Select(c => (IReadOnlyList<Playable>)c.Select(p => p.Item with { Offset = p.Offset }).ToList()).ToList();
        return new SessionDesk(view.Value!, actor.MayChange(session), session.Officers.Any(o => o.AccountId == actor.Id), heads, viewOnly, clusters);
    }

    public async Task<Outcome<InterruptionReport>> ReportInterruptionAsync(Scope officer, string id, NewInterruptionReport r, CancellationToken ct)
    {
        var session = await FindAsync(officer, id, ct);
        if (session is null) return Refusal.NotFound;
        // Art. 11: the officer who was recording explains; a head receives the report.
        if (session.Officers.All(o => o.AccountId != officer.Id)) return NotYours;
        if (!CamelNames.TryParse<InterruptionReason>(r.Reason, out var reason)) return Invalid("interruption-reason", new Listing(CamelNames.Of<InterruptionReason>()));
        if (string.IsNullOrWhiteSpace(r.DocumentNote) || r.DocumentNote.Length > 2000) return Invalid("document-note");
        var gap = (await GapsAsync([id], ct))[id].SingleOrDefault(g => g.Id == r.GapId);
        if (gap is null) return new Refusal(404, "gap-not-found");
        if (gap.Explained) return new Refusal(409, "gap-already-explained");
        if (r.ExplanationRecordId is not null)
        {
            var resuming = await db.Records.AsNoTracking().Where(x => x.SessionId == id && x.Id == r.ExplanationRecordId)
                .Select(x => new { x.RecordedStart, x.DurationSeconds }).SingleOrDefaultAsync(ct);
            if (resuming is null || resuming.RecordedStart < gap.To.AddSeconds(-1)) return Invalid("explanation-segment");
            if (r.ExplanationOffsetSeconds is not { } offset || offset < 0 || (resuming.DurationSeconds is { } d && offset > d)) return Invalid("explanation-position");
        }
        else if (r.ExplanationOffsetSeconds is not null) return Invalid("position-needs-segment");
        var path = session.UnitPath;
        var head = r.ReportedTo is null ? null : await db.Accounts.AsNoTracking()
            .Where(a => (a.Username == r.ReportedTo || a.Badge == r.ReportedTo) && !a.Disabled && (a.Roles & Role.DepartmentHead) == Role.DepartmentHead && a.UnitPath != null)
            .SingleOrDefaultAsync(ct);
        if (head is null || !Scope.Under(path, head.UnitPath)) return Invalid("reported-to");

        var report = new InterruptionReport
        {
            Id = Ids.New(),
            SessionId = id,
            From = gap.From,
            To = gap.To,
            Reason = reason,
            ExplanationRecordId = r.ExplanationRecordId,
            ExplanationOffsetSeconds = r.ExplanationOffsetSeconds,
            ReportedToId = head.Id,
            DocumentNote = r.DocumentNote.Trim(),
            NoteSalt = AccessRequests.NewSalt(),
            ReportedById = officer.Id,
            ReportedAt = officer.Now,
        };
        db.InterruptionReports.Add(report);
        db.LedgerPending.Add(LedgerLeaves.InterruptionReported(report, AccessRequests.Commit(report.NoteSalt, report.DocumentNote)));
        await db.SaveChangesAsync(ct);
        return report;
    }
}
