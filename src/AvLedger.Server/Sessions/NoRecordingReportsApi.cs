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
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Sessions;

/// <summary>Art. 11 (R-11b): an activity that was not recorded at all is reported to a head, who acknowledges it.</summary>
public static class NoRecordingReportsApi
{
    public sealed record NewReport(string? ActivityType, DateTimeOffset? From, DateTimeOffset? To, string? Place, string? Reason, string? Note);
    public sealed record ReportView(string Id, string ActivityType, DateTimeOffset From, DateTimeOffset? To, string Place, string Reason, string Note,
        string OfficerId, string? OfficerBadge, string? OfficerName, DateTimeOffset ReportedAt, bool Acknowledged, DateTimeOffset? AcknowledgedAt);

    public static void MapNoRecordingReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/no-recording-reports");
        group.MapPost("", CreateAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.Officer)));
        group.MapGet("", ListAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.Officer), nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
        group.MapPost("/{id}/ack", AcknowledgeAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
    }

    public static async Task<IResult> CreateAsync(NewReport r, CurrentUser user, AvLedgerDb db, ActivityTypeCatalog types, TimeProvider clock, CancellationToken ct)
    {
        if (user.Account.UnitId is null || user.Account.UnitPath is null) return Problems.Forbidden();
        if (r.ActivityType is null || !types.IsKnown(r.ActivityType))
            return SessionsApi.Invalid($"请选择执法活动类型（{string.Join("、", types.All.Keys)}）。", $"Choose an activity type ({string.Join(", ", types.All.Keys)}).");
        var now = clock.GetUtcNow();
        if (r.From is not { } from || from > now) return SessionsApi.Invalid("请填写活动开始时间（不晚于现在）。", "Give when the activity started (not in the future).");
        if (r.To is { } to && to < from) return SessionsApi.Invalid("结束时间早于开始时间。", "The end is before the start.");
        if (string.IsNullOrWhiteSpace(r.Place) || r.Place.Length > 500) return SessionsApi.Invalid("请填写地点（不超过 500 字）。", "Give the place (at most 500 characters).");
        if (!Enum.TryParse<NoRecordingReason>(r.Reason, ignoreCase: true, out var reason) || !Enum.IsDefined(reason) || int.TryParse(r.Reason, out _))
            return SessionsApi.Invalid($"未记录原因须为：{string.Join("、", Enum.GetNames<NoRecordingReason>().Select(SessionsApi.Camel))}。",
                $"The reason must be one of: {string.Join(", ", Enum.GetNames<NoRecordingReason>().Select(SessionsApi.Camel))}.");
        if (string.IsNullOrWhiteSpace(r.Note) || r.Note.Length > 2000) return SessionsApi.Invalid("请说明情况（不超过 2000 字）。", "Describe what happened (at most 2000 characters).");
        var report = new NoRecordingReport
        {
            Id = Ids.New(),
            ActivityType = r.ActivityType,
            From = from,
            To = r.To,
            Place = r.Place.Trim(),
            Reason = reason,
            Note = r.Note.Trim(),
            NoteSalt = AccessRequests.NewSalt(),
            OfficerId = user.Id,
            UnitId = user.Account.UnitId,
            UnitPath = user.Account.UnitPath,
            ReportedAt = now,
        };
        db.NoRecordingReports.Add(report);
        db.LedgerPending.Add(LedgerLeaves.NoRecording("no-recording.reported", report, user.Id, AccessRequests.Commit(report.NoteSalt, $"{report.Place}\n{report.Note}"), now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/no-recording-reports/{report.Id}", new { id = report.Id });
    }

    public static async Task<List<ReportView>> ListForAsync(Account user, AvLedgerDb db, bool? acknowledged, CancellationToken ct)
    {
        var query = new Scope(user, DateTimeOffset.MinValue).NoRecordingReports(db.NoRecordingReports.AsNoTracking());
        if (acknowledged is { } a) query = query.Where(r => (r.AcknowledgedAt != null) == a);
        var rows = await query.OrderByDescending(r => r.From).Take(500)
            .Select(r => new { r, Officer = db.Accounts.Where(x => x.Id == r.OfficerId).Select(x => new { x.Badge, x.DisplayName }).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(x => new ReportView(x.r.Id, x.r.ActivityType, RecordingTimes.ToChina(x.r.From), x.r.To is { } t ? RecordingTimes.ToChina(t) : null, x.r.Place,
            SessionsApi.Camel(x.r.Reason.ToString()), x.r.Note, x.r.OfficerId, x.Officer?.Badge, x.Officer?.DisplayName, RecordingTimes.ToChina(x.r.ReportedAt),
            x.r.AcknowledgedAt is not null, x.r.AcknowledgedAt is { } at ? RecordingTimes.ToChina(at) : null)).ToList();
    }

    static async Task<IResult> ListAsync(CurrentUser user, AvLedgerDb db, CancellationToken ct, bool? acknowledged = null) =>
        TypedResults.Ok(await ListForAsync(user, db, acknowledged, ct));

    public static async Task<IResult> AcknowledgeAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var report = Ids.LooksValid(id) ? await user.Scope.HeadedReports(db.NoRecordingReports).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (report is null) return Problems.NotFound();
        if (report.OfficerId == user.Id)
            return Problems.Of(403, "own-report", "不能确认本人的报告", "Not your own report", "未记录报告须由其他负责人确认。", "Another head acknowledges your own report.");
        if (report.AcknowledgedAt is null)
        {
            var now = clock.GetUtcNow();
            report.AcknowledgedById = user.Id;
            report.AcknowledgedAt = now;
            db.LedgerPending.Add(LedgerLeaves.NoRecording("no-recording.acknowledged", report, user.Id, null, now));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }
}
