using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Audit;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Retention;
using AvLedger.Core.Sessions;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Compliance;

/// <summary>Facts come from the evidence, not from the person judged: records whose recording time is
/// unknown (录制时间未知), only claimed by the uploader (未经核实), or claimed differently from the
/// media's own (与文件时间不符) are listed for heads; a head over the record's unit, not its own
/// officer or uploader, confirms the time of one the media gave none, and the rules that hang on it
/// (late save, retention, session, case links) then apply.</summary>
public static class RecordedTimesApi
{
    public sealed record Confirmation(string? Start);

    public sealed record FlaggedView(string RecordId, string FileName, string? OfficerBadge, string? DeviceCode, string Flag, string Source,
        DateTimeOffset? RecordedStart, DateTimeOffset? ClaimedRecordedStart, DateTimeOffset? MediaTime, DateTimeOffset SavedAt);

    public static void MapRecordedTimes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/recorded-time", ConfirmAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapGet("/api/v1/compliance/recorded-times", async (CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct, string? flag) =>
                TypedResults.Ok(await ListForAsync(user, db, clock.GetUtcNow(), flag, ct)))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
    }

    public static async Task<List<FlaggedView>> ListForAsync(Account user, AvLedgerDb db, DateTimeOffset now, string? flag, CancellationToken ct)
    {
        var query = db.Records.AsNoTracking().VisibleTo(user, now).Where(r => r.PurgedAt == null);
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

    public static async Task<IResult> ConfirmAsync(string id, Confirmation c, CurrentUser user, AvLedgerDb db, IOptions<AvLedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = await LateSavesApi.HeadedAsync(id, user, db, now, ct);
        if (record is null) return Problems.NotFound();
        if (LateSavesApi.OwnRecord(record, user, "确认其录制时间", "confirm its recording time") is { } own) return own;
        if (record.RecordedStartSource is not (RecordedTimeSources.Unknown or RecordedTimeSources.Metadata or RecordedTimeSources.FileName))
            return Problems.Of(409, "recorded-time-settled", "录制时间无需确认", "Recording time settled",
                "该记录的录制时间取自文件本身或已经确认，不能另行指定。", "This record's time comes from the media itself or was already confirmed; it cannot be set by hand.");
        var zone = RecordingTimes.FindZone(await db.Devices.Where(d => d.Code == record.DeviceCode).Select(d => d.TimeZone).SingleOrDefaultAsync(ct) ?? Core.Devices.Device.DefaultTimeZone);
        if (RecordingTimes.ParseDeviceTime(c.Start, zone) is not { } start)
            return AccessRequestsApi.Invalid("请以 RFC 3339 格式给出录制开始时间，例如 2026-11-20T09:30:00+08:00。", "Give the recording start as an RFC 3339 time, e.g. 2026-11-20T09:30:00+08:00.");
        var duration = record.RecordedEnd - record.RecordedStart;
        if (start + duration > record.SavedAt)
            return AccessRequestsApi.Invalid("录制不可能晚于保存：开始时间加时长超过了保存时间。", "A recording cannot end after it was saved: the start plus the duration is later than the save.");

        var previous = record.RecordedStartSource;
        record.RecordedStart = start;
        record.RecordedEnd = start + duration;
        record.RecordedStartSource = RecordedTimeSources.Confirmed;
        record.RecordedTimeConfirmedById = user.Id;
        record.RecordedTimeConfirmedAt = now;
        record.LateSave = RecordingTimes.IsLateSave(record.RecordedEnd, record.SavedAt);
        db.LedgerPending.Add(LedgerLeaves.RecordedTimeConfirmed(record, user.Id, previous, now));
        db.AuditEvents.Add(new AuditEvent { Id = Ids.New(), At = now, LastAt = now, ActorId = user.Id, Action = AuditActions.RecordedTimeConfirmed, RecordId = record.Id, Requests = 1 });
        if (record.SessionId is null)
        {
            var requested = record.UploadId is null ? null : await db.Uploads.Where(u => u.Id == record.UploadId).Select(u => u.SessionId).SingleOrDefaultAsync(ct);
            await SessionGrouping.AssignAsync(db, record, requested, options.Value.Sessions.GroupingWindow, now, ct);
        }
        await CaseLinking.LinkNewRecordAsync(db, record, options.Value.CaseLinkBuffer, now, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Retention now counts from the confirmed day (and any case the confirmation linked).
        await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
