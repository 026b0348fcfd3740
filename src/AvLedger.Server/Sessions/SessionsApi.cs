using AvLedger.Core.Scoping;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Sessions;

/// <summary>Art. 9 and 11 (R-9, R-11a): enforcement sessions, their one timeline of segments and gaps,
/// and the reports that explain each interruption.</summary>
public static class SessionsApi
{
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
        public bool Flagged => ActivityTypeToBeCompleted || UnexplainedGaps > 0;
    }

    public static void MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/activity-types", (ActivityTypeCatalog catalog) => TypedResults.Ok(catalog.All.Select(t => new { code = t.Key, name = t.Value })));
        var sessions = app.MapGroup("/api/v1/sessions").RequireAuthorization(p => p.RequireRole(nameof(Role.Officer), nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.LegalOfficer), nameof(Role.Auditor)));
        sessions.MapPost("", CreateAsync);
        sessions.MapGet("", ListAsync);
        sessions.MapGet("/{id}", GetAsync);
        sessions.MapPatch("/{id}", async (string id, EnforcementSessions.SessionChange change, CurrentUser user, EnforcementSessions enforcement, CancellationToken ct) =>
            (await enforcement.ChangeAsync(user.Scope, id, change, ct)).AsNoContent());
        sessions.MapPost("/{id}/interruptions", ReportInterruptionAsync);
    }

    static readonly TimeSpan MaxCreatedSpan = TimeSpan.FromHours(24);

    public static ProblemHttpResult Invalid(string zh, string en) => Problems.Of(400, "invalid-input", "输入无效", "Invalid input", zh, en);

    public static async Task<IResult> CreateAsync(NewSession s, CurrentUser user, AvLedgerDb db, ActivityTypeCatalog types, TimeProvider clock, CancellationToken ct)
    {
        if (!user.Account.Has(Role.Officer | Role.DepartmentHead) || user.Account.UnitId is null || user.Account.UnitPath is null)
            return Problems.Forbidden();
        if (s.ActivityType is null || !types.IsKnown(s.ActivityType))
            return Invalid($"请选择执法活动类型（{string.Join("、", types.All.Keys)}）。", $"Choose an activity type ({string.Join(", ", types.All.Keys)}).");
        if (s.Title?.Length > 500 || s.Location?.Length > 500) return Invalid("标题和地点不超过 500 字。", "Title and location are at most 500 characters.");
        var now = clock.GetUtcNow();
        var start = s.Start ?? now;
        var end = s.End ?? start;
        if (end < start) return Invalid("结束时间早于开始时间。", "The end is before the start.");
        // Art. 9: one on-site activity. A span of years would catch every later upload of its officers.
        if (end - start > MaxCreatedSpan)
            return Problems.Of(400, "session-span-too-long", "执法过程时间跨度过长", "Session span too long",
                $"手动创建的执法过程最长 {MaxCreatedSpan.TotalHours:0} 小时（开始 {RecordingTimes.ToChina(start):yyyy-MM-dd HH:mm}，结束 {RecordingTimes.ToChina(end):yyyy-MM-dd HH:mm}）。",
                $"A session created by hand spans at most {MaxCreatedSpan.TotalHours:0} hours (start {start:O}, end {end:O}).");
        var badges = (s.Officers ?? []).Distinct().ToList();
        var officers = await db.Accounts.Where(a => a.Badge != null && badges.Contains(a.Badge)).Select(a => new { a.Id, a.Badge, a.UnitId }).ToListAsync(ct);
        if (badges.Except(officers.Select(o => o.Badge!)).FirstOrDefault() is { } unknown)
            return Invalid($"执法证号 {Short(unknown)} 不属于任何执法人员。", $"No officer carries badge {Short(unknown)}.");
        // Naming someone brings their later uploads into the session: only colleagues of one's own unit.
        if (officers.FirstOrDefault(o => o.UnitId != user.Account.UnitId) is { } foreign)
            return Problems.Of(400, "officer-not-of-your-unit", "只能添加本单位执法人员", "Only officers of your unit",
                $"执法证号 {foreign.Badge} 的执法人员不属于您所在单位，不能加入您创建的执法过程。", $"The officer with badge {foreign.Badge} is not of your unit and cannot be named in a session you create.");
        var codes = (s.Devices ?? []).Distinct().ToList();
        var devices = await db.Devices.Where(d => codes.Contains(d.Code)).Select(d => d.Code).ToListAsync(ct);
        if (codes.Except(devices).FirstOrDefault() is { } unknownDevice)
            return Invalid($"设备 {Short(unknownDevice)} 未登记。", $"Device {Short(unknownDevice)} is not registered.");

        var session = new EnforcementSession
        {
            Id = Ids.New(),
            ActivityType = s.ActivityType,
            Title = s.Title?.Trim(),
            Location = s.Location?.Trim(),
            UnitId = user.Account.UnitId,
            UnitPath = user.Account.UnitPath,
            CreatedById = user.Id,
            CreatedAt = now,
            Start = start,
            End = end,
        };
        var memberIds = officers.Select(o => o.Id).ToHashSet();
        if (user.Account.Has(Role.Officer)) memberIds.Add(user.Id);
        session.Officers.AddRange(memberIds.Select(id => new SessionOfficer { SessionId = session.Id, AccountId = id }));
        session.Devices.AddRange(devices.Select(code => new SessionDevice { SessionId = session.Id, DeviceCode = code }));
        db.Sessions.Add(session);
        db.LedgerPending.Add(LedgerLeaves.SessionChanged("session.created", session, user.Id, null, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/sessions/{session.Id}", new { id = session.Id });
    }

    static async Task<IResult> ListAsync(CurrentUser user, AvLedgerDb db, EnforcementSessions sessions, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, bool? toBeCompleted = null, int page = 1, int pageSize = 50)
    {
        var (items, total) = await ListForAsync(user, db, sessions, from, to, toBeCompleted, page, pageSize, ct);
        return TypedResults.Ok(new { items, total });
    }

    public static async Task<(List<SessionSummary> Items, int Total)> ListForAsync(Account user, AvLedgerDb db, EnforcementSessions sessions,
        DateTimeOffset? from, DateTimeOffset? to, bool? toBeCompleted, int page, int pageSize, CancellationToken ct)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        page = Math.Max(1, page);
        var query = db.Sessions.AsNoTracking().VisibleTo(user);
        if (from is { } f) query = query.Where(s => s.End >= f);
        if (to is { } t) query = query.Where(s => s.Start < t);
        if (toBeCompleted is { } pending) query = query.Where(s => (s.ActivityType == null) == pending);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(s => s.Start).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new SessionSummary(s.Id, s.ActivityType, s.ActivityType == null, s.Title, s.Location, s.Start, s.End, db.Records.Count(r => r.SessionId == s.Id), 0))
            .ToListAsync(ct);
        var gaps = await sessions.UnexplainedGapsAsync(items.Select(i => i.Id).ToList(), ct);
        return (items.Select(i => i with { Start = RecordingTimes.ToChina(i.Start), End = RecordingTimes.ToChina(i.End), UnexplainedGaps = gaps.GetValueOrDefault(i.Id) }).ToList(), total);
    }

    static async Task<IResult> GetAsync(string id, CurrentUser user, AvLedgerDb db, ActivityTypeCatalog types, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var view = await ViewAsync(id, user, db, types, options.Value.Sessions, clock.GetUtcNow(), ct);
        return view is null ? Problems.NotFound() : TypedResults.Ok(view);
    }

    /// <summary>The session as <paramref name="user"/> may see it, or null when they may not know it exists.
    /// Every segment's span is shown (the timeline is the session's), but only segments the user may see are named.</summary>
    public static async Task<SessionView?> ViewAsync(string id, Account user, AvLedgerDb db, ActivityTypeCatalog types, EnforcementSessionOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (!Ids.LooksValid(id)) return null;
        var session = await db.Sessions.AsNoTracking().VisibleTo(user).Include(s => s.Officers).Include(s => s.Devices).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return null;
        var records = await db.Records.AsNoTracking().Where(r => r.SessionId == id)
            .Select(r => new { r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd, r.DurationSeconds, r.MediaKind }).ToListAsync(ct);
        var visible = (await db.Records.AsNoTracking().VisibleTo(user, now).Where(r => r.SessionId == id).Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var reports = await db.InterruptionReports.AsNoTracking().Where(r => r.SessionId == id).ToListAsync(ct);
        var laid = SessionTimeline.Lay(records.Select(r => (r.Id, r.DeviceCode, r.OfficerBadge, r.RecordedStart, r.RecordedEnd)));
        var gaps = SessionTimeline.Gaps(laid, reports, options.InterruptionThreshold);
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
            reports.OrderBy(r => r.From).Select(r => new ReportView(r.Id, C(r.From), C(r.To), Camel(r.Reason.ToString()),
                r.ExplanationRecordId is { } spoken && visible.Contains(spoken) ? spoken : null, r.ExplanationOffsetSeconds,
                names.GetValueOrDefault(r.ReportedToId, ""), r.DocumentNote, names.GetValueOrDefault(r.ReportedById, ""), C(r.ReportedAt))).ToList(),
            unexplained, unexplained > 0 || session.ActivityType is null);
    }

    /// <summary>Those who may change a session or explain its gaps: its officers, and heads over its unit.</summary>
    static async Task<EnforcementSession?> ChangeableAsync(string id, Account user, AvLedgerDb db, CancellationToken ct)
    {
        if (!Ids.LooksValid(id)) return null;
        return await db.Sessions.VisibleTo(user).Include(s => s.Officers).Include(s => s.Devices).SingleOrDefaultAsync(s => s.Id == id, ct);
    }

    public static async Task<IResult> ReportInterruptionAsync(string id, NewInterruptionReport r, CurrentUser user, AvLedgerDb db, EnforcementSessions sessions, TimeProvider clock, CancellationToken ct)
    {
        var session = await ChangeableAsync(id, user, db, ct);
        if (session is null) return Problems.NotFound();
        // Art. 11: the officer who was recording explains; a head receives the report.
        if (session.Officers.All(o => o.AccountId != user.Id)) return NotYours();
        if (!Enum.TryParse<InterruptionReason>(r.Reason, ignoreCase: true, out var reason) || !Enum.IsDefined(reason) || int.TryParse(r.Reason, out _))
            return Invalid($"中断原因须为：{string.Join("、", Enum.GetNames<InterruptionReason>().Select(Camel))}。", $"The reason must be one of: {string.Join(", ", Enum.GetNames<InterruptionReason>().Select(Camel))}.");
        if (string.IsNullOrWhiteSpace(r.DocumentNote) || r.DocumentNote.Length > 2000)
            return Invalid("请填写书面记录中的说明（不超过 2000 字）。", "Give the note made in the written record (at most 2000 characters).");
        var gap = (await sessions.GapsAsync([id], ct))[id].SingleOrDefault(g => g.Id == r.GapId);
        if (gap is null)
            return Problems.Of(404, "gap-not-found", "没有这段中断", "No such gap", "该执法过程中没有这段中断（可能已被补传的记录填补）。", "The session has no such gap (a late segment may have filled it).");
        if (gap.Explained) return Problems.Of(409, "gap-already-explained", "已说明", "Already explained", "这段中断已有报告。", "This gap already has a report.");
        if (r.ExplanationRecordId is not null)
        {
            var resuming = await db.Records.AsNoTracking().Where(x => x.SessionId == id && x.Id == r.ExplanationRecordId)
                .Select(x => new { x.RecordedStart, x.DurationSeconds }).SingleOrDefaultAsync(ct);
            if (resuming is null || resuming.RecordedStart < gap.To.AddSeconds(-1))
                return Invalid("语音说明所在的记录须为本执法过程中断后恢复录制的记录。", "The spoken explanation must be in a segment of this session recorded after the gap.");
            if (r.ExplanationOffsetSeconds is not { } offset || offset < 0 || (resuming.DurationSeconds is { } d && offset > d))
                return Invalid("请给出语音说明在恢复录制中的位置（秒，不超过时长）。", "Give the position of the spoken explanation in the resuming recording (seconds, within its duration).");
        }
        else if (r.ExplanationOffsetSeconds is not null)
            return Invalid("给出位置时须同时指明所在记录。", "A position needs the segment it is in (explanationRecordId).");
        var path = session.UnitPath;
        var head = r.ReportedTo is null ? null : await db.Accounts.AsNoTracking()
            .Where(a => (a.Username == r.ReportedTo || a.Badge == r.ReportedTo) && !a.Disabled && (a.Roles & Role.DepartmentHead) == Role.DepartmentHead && a.UnitPath != null)
            .SingleOrDefaultAsync(ct);
        if (head is null || !Scope.Under(path, head.UnitPath))
            return Invalid("请填写所报告的负责人（本单位或上级单位负责人的用户名或警号）。", "Name the head it was reported to (username or badge of a head of the session's unit or above).");

        var now = clock.GetUtcNow();
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
            ReportedById = user.Id,
            ReportedAt = now,
        };
        db.InterruptionReports.Add(report);
        db.LedgerPending.Add(LedgerLeaves.InterruptionReported(report, AccessRequests.Commit(report.NoteSalt, report.DocumentNote)));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/sessions/{id}", new { id = report.Id });
    }

    static ProblemHttpResult NotYours() =>
        Problems.Of(403, "not-your-session", "只能由参与的执法人员或负责人操作", "Only the session's officers or a head over it",
            "该执法过程只能由参与的执法人员（或其单位负责人）补充和说明。", "Only officers who took part (or a head over the session's unit) may complete or explain it.");

    public static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    static string Short(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
