using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Sessions;

/// <summary>Art. 11 (R-11b): an activity that was not recorded at all is reported to a head, who acknowledges it.</summary>
public sealed class NoRecordingReports(AvLedgerDb db, ActivityTypeCatalog types)
{
    public sealed record NewReport(string? ActivityType, DateTimeOffset? From, DateTimeOffset? To, string? Place, string? Reason, string? Note);
    public sealed record ReportView(string Id, string ActivityType, DateTimeOffset From, DateTimeOffset? To, string Place, string Reason, string Note,
        string OfficerId, string? OfficerBadge, string? OfficerName, DateTimeOffset ReportedAt, bool Acknowledged, DateTimeOffset? AcknowledgedAt);

    public async Task<Outcome<NoRecordingReport>> CreateAsync(Scope officer, NewReport r, CancellationToken ct)
    {
        var person = officer.Person;
        if (person.UnitId is null || person.UnitPath is null) return Refusal.Forbidden;
        if (r.ActivityType is null || !types.IsKnown(r.ActivityType)) return EnforcementSessions.Invalid("choose-activity-type", new Listing(types.All.Keys));
        var now = officer.Now;
        if (r.From is not { } from || from > now) return EnforcementSessions.Invalid("activity-start");
        if (r.To is { } to && to < from) return EnforcementSessions.Invalid("end-before-start");
        if (string.IsNullOrWhiteSpace(r.Place) || r.Place.Length > 500) return EnforcementSessions.Invalid("place");
        if (!CamelNames.TryParse<NoRecordingReason>(r.Reason, out var reason))
            return EnforcementSessions.Invalid("no-recording-reason", new Listing(CamelNames.Of<NoRecordingReason>()));
        if (string.IsNullOrWhiteSpace(r.Note) || r.Note.Length > 2000) return EnforcementSessions.Invalid("no-recording-note");
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
            OfficerId = officer.Id,
            UnitId = person.UnitId,
            UnitPath = person.UnitPath,
            ReportedAt = now,
        };
        db.NoRecordingReports.Add(report);
        db.LedgerPending.Add(LedgerLeaves.NoRecording("no-recording.reported", report, officer.Id, AccessRequests.Commit(report.NoteSalt, $"{report.Place}\n{report.Note}"), now));
        await db.SaveChangesAsync(ct);
        return report;
    }

    /// <summary>The reports the person may see, acknowledged or not (null: both), latest activity first.</summary>
    public async Task<List<ReportView>> ListAsync(Scope actor, bool? acknowledged, CancellationToken ct)
    {
        var query = actor.NoRecordingReports(db.NoRecordingReports.AsNoTracking());
        if (acknowledged is { } a) query = query.Where(r => (r.AcknowledgedAt != null) == a);
        var rows = await query.OrderByDescending(r => r.From).Take(500)
            .Select(r => new { r, Officer = db.Accounts.Where(x => x.Id == r.OfficerId).Select(x => new { x.Badge, x.DisplayName }).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(x => new ReportView(x.r.Id, x.r.ActivityType, RecordingTimes.ToChina(x.r.From), x.r.To is { } t ? RecordingTimes.ToChina(t) : null, x.r.Place,
            CamelNames.Of(x.r.Reason.ToString()), x.r.Note, x.r.OfficerId, x.Officer?.Badge, x.Officer?.DisplayName, RecordingTimes.ToChina(x.r.ReportedAt),
            x.r.AcknowledgedAt is not null, x.r.AcknowledgedAt is { } at ? RecordingTimes.ToChina(at) : null)).ToList();
    }

    /// <summary>Reports a head over their unit has yet to acknowledge, leaving out their own (another head acknowledges those).</summary>
    public Task<int> UnacknowledgedCountAsync(Scope head, CancellationToken ct)
    {
        var id = head.Id;
        return head.HeadedReports(db.NoRecordingReports.AsNoTracking()).CountAsync(r => r.AcknowledgedAt == null && r.OfficerId != id, ct);
    }

    /// <summary>A head over the report's unit acknowledges it, once; another head acknowledges a head's own report.</summary>
    public async Task<Refusal?> AcknowledgeAsync(Scope head, string id, CancellationToken ct)
    {
        var report = Ids.LooksValid(id) ? await head.HeadedReports(db.NoRecordingReports).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (report is null) return Refusal.NotFound;
        if (report.OfficerId == head.Id) return new Refusal(403, "own-report");
        if (report.AcknowledgedAt is null)
        {
            report.AcknowledgedById = head.Id;
            report.AcknowledgedAt = head.Now;
            db.LedgerPending.Add(LedgerLeaves.NoRecording("no-recording.acknowledged", report, head.Id, null, head.Now));
            await db.SaveChangesAsync(ct);
        }
        return null;
    }
}
