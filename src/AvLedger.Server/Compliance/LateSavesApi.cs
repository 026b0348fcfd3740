using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Compliance;

/// <summary>Art. 12 (R-12a): a record saved more than 24 hours after it ended asks its officer for a
/// reason; a department head over it acknowledges; the compliance list shows where each stands.</summary>
public static class LateSavesApi
{
    public sealed record Reason(string? Text);
    public sealed record LateSaveView(string RecordId, string? OfficerBadge, DateTimeOffset RecordedEnd, DateTimeOffset SavedAt, string State, string? Reason, DateTimeOffset? AcknowledgedAt);

    public static void MapLateSaves(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/records/{id}/late-save-reason", GiveReasonAsync).RequireAuthorization();
        app.MapPost("/api/v1/records/{id}/late-save-ack", AcknowledgeAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
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
        if (!record.LateSave) return Problems.Of(409, "not-late", "该记录按时保存", "Saved in time", "该记录在录制结束后 24 小时内保存，无需说明。", "This record was saved within 24 hours of its end.");
        if (record.LateSaveAcknowledgedAt is not null) return Problems.Of(409, "already-acknowledged", "已确认", "Already acknowledged", "负责人已确认该说明，不能再修改。", "A head has acknowledged the reason; it can no longer change.");
        if (string.IsNullOrWhiteSpace(r.Text) || r.Text.Length > 2000) return AccessRequestsApi.Invalid("请填写迟延保存的原因（不超过 2000 字）。", "Give the reason (at most 2000 characters).");
        record.LateSaveReason = r.Text.Trim();
        record.LateSaveReasonSalt = AccessRequests.NewSalt();
        record.LateSaveReasonAt = now;
        db.LedgerPending.Add(LedgerLeaves.LateSave("record.late-save-reason", record, user.Id, AccessRequests.Commit(record.LateSaveReasonSalt, record.LateSaveReason), now));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> AcknowledgeAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = Ids.LooksValid(id) ? await db.Records.VisibleTo(user, now).SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        // A head over the record's unit acknowledges; a grant to see it does not make one its head.
        if (record is null || user.Account.UnitPath is not { } path || record.UnitPath?.StartsWith(path, StringComparison.Ordinal) != true) return Problems.NotFound();
        if (record.LateSaveReasonAt is null) return Problems.Of(409, "no-reason-yet", "尚无说明", "No reason yet", "执法人员尚未说明迟延保存的原因。", "The officer has not given a reason yet.");
        if (record.LateSaveAcknowledgedAt is null)
        {
            record.LateSaveAcknowledgedById = user.Id;
            record.LateSaveAcknowledgedAt = now;
            db.LedgerPending.Add(LedgerLeaves.LateSave("record.late-save-acknowledged", record, user.Id, null, now));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    static async Task<IResult> ListAsync(CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct, string? state = null) =>
        TypedResults.Ok(await ListForAsync(user, db, clock.GetUtcNow(), state, ct));

    public static async Task<List<LateSaveView>> ListForAsync(Account user, AvLedgerDb db, DateTimeOffset now, string? state, CancellationToken ct)
    {
        var query = db.Records.AsNoTracking().VisibleTo(user, now).Where(r => r.LateSave);
        query = state switch
        {
            "awaiting-reason" => query.Where(r => r.LateSaveReasonAt == null),
            "awaiting-acknowledgement" => query.Where(r => r.LateSaveReasonAt != null && r.LateSaveAcknowledgedAt == null),
            "acknowledged" => query.Where(r => r.LateSaveAcknowledgedAt != null),
            _ => query,
        };
        var rows = await query.OrderByDescending(r => r.SavedAt).Take(500)
            .Select(r => new LateSaveView(r.Id, r.OfficerBadge, r.RecordedEnd, r.SavedAt,
                r.LateSaveAcknowledgedAt != null ? "acknowledged" : r.LateSaveReasonAt != null ? "awaiting-acknowledgement" : "awaiting-reason",
                r.LateSaveReason, r.LateSaveAcknowledgedAt))
            .ToListAsync(ct);
        return rows.Select(r => r with { RecordedEnd = RecordingTimes.ToChina(r.RecordedEnd), SavedAt = RecordingTimes.ToChina(r.SavedAt) }).ToList();
    }
}
