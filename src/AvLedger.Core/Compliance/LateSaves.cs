using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Compliance;

/// <summary>Art. 12 (R-12a): a record saved more than 24 hours after it ended asks its officer for a
/// reason; a department head over it (never the record's own officer or uploader) acknowledges it or
/// returns it with an opinion, and a returned reason is given again; the compliance list shows where each stands.</summary>
public sealed class LateSaves(AvLedgerDb db)
{
    public sealed record LateSaveView(string RecordId, string? OfficerBadge, DateTimeOffset RecordedEnd, DateTimeOffset SavedAt, string State, string? Reason, DateTimeOffset? AcknowledgedAt, string? ReturnOpinion)
    {
        public string? FileName { get; init; }
        public string? OfficerName { get; init; }
    }

    /// <summary>Free text a late save's reason or a head's opinion is given in.</summary>
    const int MaxText = 2000;

    internal static Refusal Invalid(string reason, params object[] args) => new(400, "access-request-invalid", reason, args);

    public async Task<Refusal?> GiveReasonAsync(Scope officer, string id, string? text, CancellationToken ct)
    {
        var record = Ids.LooksValid(id) ? await officer.Records(db.Records).SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        if (record is null) return Refusal.NotFound;
        if (record.OfficerId != officer.Id) return new Refusal(403, "not-your-record");
        if (record.LateSave is null) return new Refusal(409, "recorded-time-unknown");
        if (record.LateSave != true) return new Refusal(409, "not-late");
        if (record.LateSaveAcknowledgedAt is not null) return new Refusal(409, "already-acknowledged", "reason-fixed");
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxText) return Invalid("late-save-reason");
        var now = officer.Now;
        record.LateSaveReason = text.Trim();
        record.LateSaveReasonSalt = AccessRequests.NewSalt();
        record.LateSaveReasonAt = now;
        // A reason given again after a return goes back to the head; the returning opinion stays to be read.
        record.LateSaveReturnedAt = null;
        record.LateSaveReturnedById = null;
        db.LedgerPending.Add(LedgerLeaves.LateSave("record.late-save-reason", record, officer.Id, AccessRequests.Commit(record.LateSaveReasonSalt, record.LateSaveReason), now));
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The record, if <paramref name="head"/> has it in their charge (a grant to see it does not make one its head).</summary>
    internal static async Task<Record?> InChargeAsync(AvLedgerDb db, Scope head, string id, CancellationToken ct) =>
        Ids.LooksValid(id) ? await head.RecordsInCharge(db.Records).SingleOrDefaultAsync(x => x.Id == id, ct) : null;

    /// <summary>A head who recorded or uploaded the record is the person judged: someone else decides
    /// (<paramref name="what"/> names the decision, for the words).</summary>
    internal static Refusal? OwnRecord(Record record, Scope head, string what) =>
        record.OfficerId == head.Id || record.UploadedById == head.Id ? new Refusal(403, "own-record", what) : null;

    static Refusal NoReasonYet(Record record) => record.LateSaveReturnedAt is not null ? new Refusal(409, "returned") : new Refusal(409, "no-reason-yet");

    public async Task<Refusal?> AcknowledgeAsync(Scope head, string id, CancellationToken ct)
    {
        var record = await InChargeAsync(db, head, id, ct);
        if (record is null) return Refusal.NotFound;
        if (OwnRecord(record, head, "acknowledge-late-save") is { } own) return own;
        if (record.LateSaveReasonAt is null || record.LateSaveReturnedAt is not null) return NoReasonYet(record);
        if (record.LateSaveAcknowledgedAt is null)
        {
            Acknowledge(record, head);
            await db.SaveChangesAsync(ct);
        }
        return null;
    }

    void Acknowledge(Record record, Scope head)
    {
        record.LateSaveAcknowledgedById = head.Id;
        record.LateSaveAcknowledgedAt = head.Now;
        db.LedgerPending.Add(LedgerLeaves.LateSave("record.late-save-acknowledged", record, head.Id, null, head.Now));
    }

    /// <summary>A head acknowledges the reasons of many late saves they have read, at once: each must be theirs to
    /// acknowledge and waiting for it, or none is acknowledged.</summary>
    public async Task<Outcome<int>> AcknowledgeManyAsync(Scope head, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return Invalid("nothing-selected");
        if (!wanted.All(Ids.LooksValid)) return Refusal.NotFound;
        var records = await head.RecordsInCharge(db.Records).Where(r => wanted.Contains(r.Id)).ToListAsync(ct);
        if (records.Count != wanted.Count) return Refusal.NotFound;
        foreach (var record in records)
        {
            if (OwnRecord(record, head, "acknowledge-late-save") is { } own) return own;
            if (record.LateSave != true || record.LateSaveAcknowledgedAt is not null || record.LateSaveReasonAt is null || record.LateSaveReturnedAt is not null)
                return NoReasonYet(record);
        }
        foreach (var record in records) Acknowledge(record, head);
        await db.SaveChangesAsync(ct);
        return records.Count;
    }

    public async Task<Refusal?> ReturnAsync(Scope head, string id, string? opinion, CancellationToken ct)
    {
        var record = await InChargeAsync(db, head, id, ct);
        if (record is null) return Refusal.NotFound;
        if (OwnRecord(record, head, "return-late-save") is { } own) return own;
        if (record.LateSaveAcknowledgedAt is not null) return new Refusal(409, "already-acknowledged", "not-returnable");
        if (record.LateSaveReasonAt is null || record.LateSaveReturnedAt is not null) return NoReasonYet(record);
        if (string.IsNullOrWhiteSpace(opinion) || opinion.Length > MaxText) return Invalid("return-opinion");
        record.LateSaveReturnOpinion = opinion.Trim();
        record.LateSaveReturnOpinionSalt = AccessRequests.NewSalt();
        record.LateSaveReturnedById = head.Id;
        record.LateSaveReturnedAt = head.Now;
        db.LedgerPending.Add(LedgerLeaves.LateSaveReturned(record, head.Id, AccessRequests.Commit(record.LateSaveReturnOpinionSalt, record.LateSaveReturnOpinion), head.Now));
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The late saves the person may see, in <paramref name="state"/> (awaiting-reason, returned,
    /// awaiting-acknowledgement, acknowledged; anything else: all), newest save first.</summary>
    public async Task<List<LateSaveView>> ListAsync(Scope actor, string? state, CancellationToken ct)
    {
        var query = InState(actor.Records(db.Records.AsNoTracking()).Where(r => r.LateSave == true), state);
        var rows = await query.OrderByDescending(r => r.SavedAt).Take(500)
            .Select(r => new LateSaveView(r.Id, r.OfficerBadge, r.RecordedEnd, r.SavedAt,
                r.LateSaveAcknowledgedAt != null ? "acknowledged" : r.LateSaveReturnedAt != null ? "returned" : r.LateSaveReasonAt != null ? "awaiting-acknowledgement" : "awaiting-reason",
                r.LateSaveReason, r.LateSaveAcknowledgedAt, r.LateSaveReturnOpinion)
            {
                FileName = r.FileName,
                OfficerName = db.Accounts.Where(a => a.Id == r.OfficerId).Select(a => a.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(r => r with { RecordedEnd = RecordingTimes.ToChina(r.RecordedEnd), SavedAt = RecordingTimes.ToChina(r.SavedAt) }).ToList();
    }

    static IQueryable<Record> InState(IQueryable<Record> query, string? state) => state switch
    {
        "awaiting-reason" => query.Where(r => r.LateSaveReasonAt == null),
        "returned" => query.Where(r => r.LateSaveAcknowledgedAt == null && r.LateSaveReturnedAt != null),
        "awaiting-acknowledgement" => query.Where(r => r.LateSaveReasonAt != null && r.LateSaveReturnedAt == null && r.LateSaveAcknowledgedAt == null),
        "acknowledged" => query.Where(r => r.LateSaveAcknowledgedAt != null),
        _ => query,
    };

    /// <summary>Late saves with a reason that a head in charge (not the one judged) has yet to acknowledge: the head's work on the late-save page.</summary>
    public Task<int> AwaitingAcknowledgementCountAsync(Scope head, CancellationToken ct)
    {
        var id = head.Id;
        return InState(head.RecordsInCharge(db.Records.AsNoTracking()).Where(r => r.LateSave == true), "awaiting-acknowledgement")
            .CountAsync(r => r.OfficerId != id && r.UploadedById != id, ct);
    }
}
