using AvLedger.Core.Scoping;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Compliance;

/// <summary>Art. 12 (R-12a): a record saved more than 24 hours after it ended asks its officer for a
/// reason; a department head over it (never the record's own officer or uploader) acknowledges it or
/// returns it with an opinion, and a returned reason is given again; the compliance list shows where each stands.</summary>
public static class LateSavesApi
{
    public sealed record Reason(string? Text);
    public sealed record Opinion(string? Text);
    public sealed record LateSaveView(string RecordId, string? OfficerBadge, DateTimeOffset RecordedEnd, DateTimeOffset SavedAt, string State, string? Reason, DateTimeOffset? AcknowledgedAt, string? ReturnOpinion);

    public static void MapLateSaves(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/late-save-reason", GiveReasonAsync).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/late-save-ack", AcknowledgeAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapPost("/api/v1/records/{id}/late-save-return", ReturnAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapGet("/api/v1/compliance/late-saves", ListAsync)
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
    }

    public static async Task<IResult> GiveReasonAsync(string id, Reason r, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = Ids.LooksValid(id) ? await db.Records.VisibleTo(user, now).SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        if (record is null) return Problems.NotFound();
        if (record.OfficerId != user.Id)
            return Problems.Of(403, "not-your-record", "只能由记录的执法人员说明", "Only the record's officer explains", "迟延保存的原因由记录所属执法人员填写。", "The record's officer gives the reason for a late save.");
        if (record.LateSave is null)
            return Problems.Of(409, "recorded-time-unknown", "录制时间未知", "Recording time unknown",
                "该记录录制时间未知，待负责人确认录制时间后才能判断是否迟延保存。", "The recording time is unknown; a head confirms it before lateness can be judged.");
        if (record.LateSave != true) return Problems.Of(409, "not-late", "该记录按时保存", "Saved in time", "该记录在录制结束后 24 小时内保存，无需说明。", "This record was saved within 24 hours of its end.");
        if (record.LateSaveAcknowledgedAt is not null) return Problems.Of(409, "already-acknowledged", "已确认", "Already acknowledged", "负责人已确认该说明，不能再修改。", "A head has acknowledged the reason; it can no longer change.");
        if (string.IsNullOrWhiteSpace(r.Text) || r.Text.Length > 2000) return AccessRequestsApi.Invalid("请填写迟延保存的原因（不超过 2000 字）。", "Give the reason (at most 2000 characters).");
        record.LateSaveReason = r.Text.Trim();
        record.LateSaveReasonSalt = AccessRequests.NewSalt();
        record.LateSaveReasonAt = now;
        // A reason given again after a return goes back to the head; the returning opinion stays to be read.
        record.LateSaveReturnedAt = null;
        record.LateSaveReturnedById = null;
        db.LedgerPending.Add(LedgerLeaves.LateSave("record.late-save-reason", record, user.Id, AccessRequests.Commit(record.LateSaveReasonSalt, record.LateSaveReason), now));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The record, if <paramref name="user"/> heads its unit (a grant to see it does not make one its head).</summary>
    public static async Task<Record?> HeadedAsync(string id, Account user, AvLedgerDb db, DateTimeOffset now, CancellationToken ct)
    {
        return Ids.LooksValid(id) ? await new Scope(user, now).RecordsInCharge(db.Records).SingleOrDefaultAsync(x => x.Id == id, ct) : null;
    }

    /// <summary>A head who recorded or uploaded the record is the person judged: someone else decides.</summary>
    public static ProblemHttpResult? OwnRecord(Record record, Account user, string zhWhat, string enWhat) =>
        record.OfficerId == user.Id || record.UploadedById == user.Id
            ? Problems.Of(403, "own-record", "不能处理本人的记录", "Not on your own record",
                $"您是该记录的执法人员或上传人，不能{zhWhat}；请由本单位或上级单位的其他负责人处理。",
                $"You recorded or uploaded this record, so you cannot {enWhat}; another head of its unit or a unit above decides.")
            : null;

    public static async Task<IResult> AcknowledgeAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = await HeadedAsync(id, user, db, now, ct);
        if (record is null) return Problems.NotFound();
        if (OwnRecord(record, user, "确认迟延保存的说明", "acknowledge its late-save reason") is { } own) return own;
        if (record.LateSaveReasonAt is null || record.LateSaveReturnedAt is not null) return NoReasonYet(record);
        if (record.LateSaveAcknowledgedAt is null)
        {
            record.LateSaveAcknowledgedById = user.Id;
            record.LateSaveAcknowledgedAt = now;
            db.LedgerPending.Add(LedgerLeaves.LateSave("record.late-save-acknowledged", record, user.Id, null, now));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    public static async Task<IResult> ReturnAsync(string id, Opinion o, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = await HeadedAsync(id, user, db, now, ct);
        if (record is null) return Problems.NotFound();
        if (OwnRecord(record, user, "退回迟延保存的说明", "return its late-save reason") is { } own) return own;
        if (record.LateSaveAcknowledgedAt is not null) return Problems.Of(409, "already-acknowledged", "已确认", "Already acknowledged", "该说明已被确认，不能退回。", "The reason was acknowledged; it cannot be returned.");
        if (record.LateSaveReasonAt is null || record.LateSaveReturnedAt is not null) return NoReasonYet(record);
        if (string.IsNullOrWhiteSpace(o.Text) || o.Text.Length > 2000) return AccessRequestsApi.Invalid("请填写退回意见（不超过 2000 字）。", "Give your opinion (at most 2000 characters).");
        record.LateSaveReturnOpinion = o.Text.Trim();
        record.LateSaveReturnOpinionSalt = AccessRequests.NewSalt();
        record.LateSaveReturnedById = user.Id;
        record.LateSaveReturnedAt = now;
        db.LedgerPending.Add(LedgerLeaves.LateSaveReturned(record, user.Id, AccessRequests.Commit(record.LateSaveReturnOpinionSalt, record.LateSaveReturnOpinion), now));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult NoReasonYet(Record record) => record.LateSaveReturnedAt is not null
        ? Problems.Of(409, "returned", "说明已退回", "Reason returned", "该说明已退回执法人员，待其重新说明。", "The reason was returned to the officer, who has not given it again yet.")
        : Problems.Of(409, "no-reason-yet", "尚无说明", "No reason yet", "执法人员尚未说明迟延保存的原因。", "The officer has not given a reason yet.");

    static async Task<IResult> ListAsync(CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct, string? state = null) =>
        TypedResults.Ok(await ListForAsync(user, db, clock.GetUtcNow(), state, ct));

    public static async Task<List<LateSaveView>> ListForAsync(Account user, AvLedgerDb db, DateTimeOffset now, string? state, CancellationToken ct)
    {
        var query = db.Records.AsNoTracking().VisibleTo(user, now).Where(r => r.LateSave == true);
        query = state switch
        {
            "awaiting-reason" => query.Where(r => r.LateSaveReasonAt == null),
            "returned" => query.Where(r => r.LateSaveAcknowledgedAt == null && r.LateSaveReturnedAt != null),
            "awaiting-acknowledgement" => query.Where(r => r.LateSaveReasonAt != null && r.LateSaveReturnedAt == null && r.LateSaveAcknowledgedAt == null),
            "acknowledged" => query.Where(r => r.LateSaveAcknowledgedAt != null),
            _ => query,
        };
        var rows = await query.OrderByDescending(r => r.SavedAt).Take(500)
            .Select(r => new LateSaveView(r.Id, r.OfficerBadge, r.RecordedEnd, r.SavedAt,
                r.LateSaveAcknowledgedAt != null ? "acknowledged" : r.LateSaveReturnedAt != null ? "returned" : r.LateSaveReasonAt != null ? "awaiting-acknowledgement" : "awaiting-reason",
                r.LateSaveReason, r.LateSaveAcknowledgedAt, r.LateSaveReturnOpinion))
            .ToListAsync(ct);
        return rows.Select(r => r with { RecordedEnd = RecordingTimes.ToChina(r.RecordedEnd), SavedAt = RecordingTimes.ToChina(r.SavedAt) }).ToList();
    }
}
