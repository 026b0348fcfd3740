using AvLedger.Core.Audit;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Devices;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Retention;
using AvLedger.Core.Scoping;
using AvLedger.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Compliance;

/// <summary>Facts come from the evidence, not from the person judged: records whose recording time is
/// unknown (录制时间未知), only claimed by the uploader (未经核实), or claimed differently from the
/// media's own (与文件时间不符) are listed for heads; a head over the record's unit, not its own
/// officer or uploader, confirms the time of one the media gave none, and the rules that hang on it
/// (late save, retention, session, case links) then apply.</summary>
public sealed class RecordedTimes(AvLedgerDb db, RecordedTimes.Settings settings)
{
    /// <summary>How close recordings join one session, and how far around an enforcement event a recording links to its case.</summary>
    public sealed record Settings(TimeSpan GroupingWindow, TimeSpan CaseLinkBuffer);

    public sealed record FlaggedView(string RecordId, string FileName, string? OfficerBadge, string? DeviceCode, string Flag, string Source,
        DateTimeOffset? RecordedStart, DateTimeOffset? ClaimedRecordedStart, DateTimeOffset? MediaTime, DateTimeOffset SavedAt);

    /// <summary>The flagged records the person may see, by <paramref name="flag"/> (unknown, unconfirmed, discrepant; anything else: all), newest save first.</summary>
    public async Task<List<FlaggedView>> ListAsync(Scope actor, string? flag, CancellationToken ct)
    {
        var query = actor.Records(db.Records.AsNoTracking()).Where(r => r.PurgedAt == null);
        query = flag switch
        {
            "unknown" => query.Where(r => r.RecordedStartSource == RecordedTimeSources.Unknown),
            "unconfirmed" => query.Where(r => r.RecordedStartSource == RecordedTimeSources.Metadata || r.RecordedStartSource == RecordedTimeSources.FileName),
            "discrepant" => query.Where(r => r.RecordedStartSource == RecordedTimeSources.Container && r.RecordedTimeDiscrepancy),
            _ => query.Where(r => r.RecordedStartSource == RecordedTimeSources.Unknown || r.RecordedStartSource == RecordedTimeSources.Metadata
                || r.RecordedStartSource == RecordedTimeSources.FileName || (r.RecordedStartSource == RecordedTimeSources.Container && r.RecordedTimeDiscrepancy)),
        };
        var rows = await query.OrderByDescending(r => r.SavedAt).Take(500)
            .Select(r => new { r.Id, r.FileName, r.OfficerBadge, r.DeviceCode, r.RecordedStartSource, r.RecordedTimeDiscrepancy, r.RecordedStart, r.ClaimedRecordedStart, r.ContainerCreationTime, r.SavedAt })
            .ToListAsync(ct);
        return rows.Select(r => new FlaggedView(r.Id, r.FileName, r.OfficerBadge, r.DeviceCode,
            RecordedTimeSources.Flag(r.RecordedStartSource, r.RecordedTimeDiscrepancy)!, r.RecordedStartSource,
            r.RecordedStartSource == RecordedTimeSources.Unknown ? null : RecordingTimes.ToChina(r.RecordedStart),
            r.ClaimedRecordedStart is { } c ? RecordingTimes.ToChina(c) : null,
            r.ContainerCreationTime is { } m ? RecordingTimes.ToChina(m) : null,
            RecordingTimes.ToChina(r.SavedAt))).ToList();
    }

    /// <summary>Records in the head's charge whose start a head may still confirm (not their own): the head's work on the recorded-times page.</summary>
    public Task<int> FlaggedCountAsync(Scope head, CancellationToken ct)
    {
        var id = head.Id;
        return head.RecordsInCharge(db.Records.AsNoTracking())
            .CountAsync(r => r.PurgedAt == null && r.OfficerId != id && r.UploadedById != id && (r.RecordedStartSource == RecordedTimeSources.Unknown
                || r.RecordedStartSource == RecordedTimeSources.Metadata || r.RecordedStartSource == RecordedTimeSources.FileName), ct);
    }

    /// <summary>A head sets the recording start of a record whose media gave none (<paramref name="start"/>
    /// in RFC 3339, or without offset in the device's zone); the record keeps its duration.</summary>
    public async Task<Refusal?> ConfirmAsync(Scope head, string id, string? start, CancellationToken ct)
    {
        var record = await LateSaves.InChargeAsync(db, head, id, ct);
        if (record is null) return Refusal.NotFound;
        if (LateSaves.OwnRecord(record, head, "confirm-recorded-time") is { } own) return own;
        if (record.RecordedStartSource is not (RecordedTimeSources.Unknown or RecordedTimeSources.Metadata or RecordedTimeSources.FileName))
            return new Refusal(409, "recorded-time-settled");
        var zone = RecordingTimes.FindZone(await db.Devices.Where(d => d.Code == record.DeviceCode).Select(d => d.TimeZone).SingleOrDefaultAsync(ct) ?? Device.DefaultTimeZone);
        if (RecordingTimes.ParseDeviceTime(start, zone) is not { } from) return LateSaves.Invalid("recorded-start-format");
        var duration = record.RecordedEnd - record.RecordedStart;
        if (from + duration > record.SavedAt) return LateSaves.Invalid("recorded-after-saved");

        var now = head.Now;
        var previous = record.RecordedStartSource;
        record.RecordedStart = from;
        record.RecordedEnd = from + duration;
        record.RecordedStartSource = RecordedTimeSources.Confirmed;
        record.RecordedTimeConfirmedById = head.Id;
        record.RecordedTimeConfirmedAt = now;
        record.LateSave = RecordingTimes.IsLateSave(record.RecordedEnd, record.SavedAt);
        var confirmed = new AuditEvent { Id = Ids.New(), At = now, LastAt = now, ActorId = head.Id, Action = AuditActions.RecordedTimeConfirmed, RecordId = record.Id, Requests = 1 };
        db.LedgerPending.Add(LedgerLeaves.RecordedTimeConfirmed(record, head.Id, previous, now, confirmed.Id));
        db.AuditEvents.Add(confirmed);
        if (record.SessionId is null)
        {
            var requested = record.UploadId is null ? null : await db.Uploads.Where(u => u.Id == record.UploadId).Select(u => u.SessionId).SingleOrDefaultAsync(ct);
            await SessionGrouping.AssignAsync(db, record, requested, settings.GroupingWindow, now, ct);
        }
        await CaseLinking.LinkNewRecordAsync(db, record, settings.CaseLinkBuffer, now, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Retention now counts from the confirmed day (and any case the confirmation linked).
        await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // A page reads the list again on this context: what the confirmation changed is not kept tracked.
        db.ChangeTracker.Clear();
        return null;
    }
}
