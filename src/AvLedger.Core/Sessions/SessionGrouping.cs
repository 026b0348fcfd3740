using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Sessions;

/// <summary>Art. 9: a new record joins the session its upload named, else a session of the same officer
/// or of a device already in it whose span comes within the grouping window, else starts one of its own
/// (activity type to be completed by its officer). A session only ever holds records of its own unit, so
/// naming another unit's device or session next to its recordings joins nothing.</summary>
public static class SessionGrouping
{
    public static async Task AssignAsync(AvLedgerDb db, Record record, string? requestedSessionId, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        // With no known time it would join whatever its placeholder lands next to: it waits for a head's confirmation.
        if (record.UnitId is null || record.UnitPath is null || record.RecordedStartSource == RecordedTimeSources.Unknown) return;
        EnforcementSession? session = null;
        if (requestedSessionId is not null)
            session = await db.Sessions.Include(s => s.Officers).Include(s => s.Devices).SingleOrDefaultAsync(s => s.Id == requestedSessionId && s.UnitId == record.UnitId, ct);
        if (session is null && (record.OfficerId is not null || record.DeviceCode is not null))
        {
            var from = record.RecordedStart - window;
            var to = record.RecordedEnd + window;
            var officerId = record.OfficerId;
            var device = record.DeviceCode;
            var unitId = record.UnitId;
            var candidates = await db.Sessions.Include(s => s.Officers).Include(s => s.Devices)
                .Where(s => s.UnitId == unitId && s.Start <= to && s.End >= from
                    && ((officerId != null && s.Officers.Any(o => o.AccountId == officerId)) || (device != null && s.Devices.Any(d => d.DeviceCode == device))))
                .ToListAsync(ct);
            // The nearest in time: overlapping beats adjacent.
            session = candidates.OrderBy(s => Distance(s, record)).ThenBy(s => s.Start).FirstOrDefault();
        }
        var created = session is null;
        session ??= NewSession(record, now);
        if (created) db.Sessions.Add(session);
        Join(session, record);
        db.LedgerPending.Add(LedgerLeaves.SegmentAdded(session, record, created, now));
    }

    static EnforcementSession NewSession(Record record, DateTimeOffset now) => new()
    {
        Id = Ids.New(),
        AutoGrouped = true,
        UnitId = record.UnitId!,
        UnitPath = record.UnitPath!,
        CreatedById = record.UploadedById,
        CreatedAt = now,
        Start = record.RecordedStart,
        End = record.RecordedEnd,
    };

    static void Join(EnforcementSession session, Record record)
    {
        record.SessionId = session.Id;
        if (record.OfficerId is { } officer && session.Officers.All(o => o.AccountId != officer))
            session.Officers.Add(new SessionOfficer { SessionId = session.Id, AccountId = officer });
        if (record.DeviceCode is { } device && session.Devices.All(d => d.DeviceCode != device))
            session.Devices.Add(new SessionDevice { SessionId = session.Id, DeviceCode = device });
        if (record.RecordedStart < session.Start) session.Start = record.RecordedStart;
        if (record.RecordedEnd > session.End) session.End = record.RecordedEnd;
    }

    static TimeSpan Distance(EnforcementSession s, Record r) =>
        r.RecordedStart > s.End ? r.RecordedStart - s.End : s.Start > r.RecordedEnd ? s.Start - r.RecordedEnd : TimeSpan.Zero;
}
