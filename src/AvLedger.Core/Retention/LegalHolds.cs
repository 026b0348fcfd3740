using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Retention;

/// <summary>Art. 13: a legal hold keeps a record, or every record of a case, with no end date
/// until a head or legal officer over its unit releases it.</summary>
public sealed class LegalHolds(AvLedgerDb db)
{
    public sealed record NewHold(string? RecordId, string? CaseNumber, string? Reason);
    public sealed record HoldView(string Id, string? RecordId, string? CaseId, string? CaseNumber, string Reason, string PlacedById, DateTimeOffset PlacedAt, DateTimeOffset? ReleasedAt)
    {
        /// <summary>What people recognise the held record and the person who placed the hold by.</summary>
        public string? RecordFileName { get; init; }
        public string? PlacedByName { get; init; }
    }

    /// <summary>Holds on records and cases in the person's charge, newest first.</summary>
    public async Task<List<HoldView>> ListAsync(Scope actor, bool activeOnly, CancellationToken ct)
    {
        if (actor.Person.UnitPath is null) return [];
        var records = actor.RecordsInCharge(db.Records).Select(r => r.Id);
        var cases = actor.CasesInCharge(db.Cases).Select(c => c.Id);
        var query = db.LegalHolds.AsNoTracking()
            .Where(h => (h.RecordId != null && records.Contains(h.RecordId)) || (h.CaseId != null && cases.Contains(h.CaseId)));
        if (activeOnly) query = query.Where(h => h.ReleasedAt == null);
        return await query.OrderByDescending(h => h.PlacedAt).Take(500)
            .Select(h => new HoldView(h.Id, h.RecordId, h.CaseId, db.Cases.Where(c => c.Id == h.CaseId).Select(c => c.Number).FirstOrDefault(),
                h.Reason, h.PlacedById, h.PlacedAt, h.ReleasedAt)
            {
                RecordFileName = db.Records.Where(r => r.Id == h.RecordId).Select(r => r.FileName).FirstOrDefault(),
                PlacedByName = db.Accounts.Where(a => a.Id == h.PlacedById).Select(a => a.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
    }

    public async Task<Outcome<HoldView>> PlaceAsync(Scope actor, NewHold h, CancellationToken ct)
    {
        if (!actor.Person.Has(RetentionSettings.Keepers)) return Refusal.Forbidden;
        var now = actor.Now;
        if (string.IsNullOrWhiteSpace(h.RecordId) == string.IsNullOrWhiteSpace(h.CaseNumber)) return RetentionSettings.Invalid("hold-target");
        if (string.IsNullOrWhiteSpace(h.Reason) || h.Reason.Length > 2000) return RetentionSettings.Invalid("hold-reason");
        string? recordId = null, caseId = null;
        if (!string.IsNullOrWhiteSpace(h.RecordId))
        {
            var record = await RetentionSettings.KeptRecordAsync(db, actor, h.RecordId.Trim(), ct);
            if (record is null) return Refusal.NotFound;
            if (record.PurgedAt is not null) return RetentionSettings.Purged;
            recordId = record.Id;
        }
        else
        {
            var number = h.CaseNumber!.Trim();
            caseId = await actor.CasesInCharge(db.Cases.AsNoTracking()).Where(c => c.Number == number).Select(c => c.Id).SingleOrDefaultAsync(ct);
            if (caseId is null) return Refusal.NotFound;
        }
        var hold = new LegalHold { Id = Ids.New(), RecordId = recordId, CaseId = caseId, Reason = h.Reason.Trim(), PlacedById = actor.Id, PlacedAt = now };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.LegalHolds.Add(hold);
        db.LedgerPending.Add(LedgerLeaves.LegalHold(PurgeKinds.HoldPlaced, hold, actor.Id, now));
        await db.SaveChangesAsync(ct);
        await RetentionRules.RecomputeAsync(db, recordId is not null ? [recordId] : await RetentionRules.RecordsOfCaseAsync(db, caseId!, ct), now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new HoldView(hold.Id, hold.RecordId, hold.CaseId, h.CaseNumber?.Trim(), hold.Reason, hold.PlacedById, hold.PlacedAt, null);
    }

    public async Task<Refusal?> ReleaseAsync(Scope actor, string id, CancellationToken ct)
    {
        if (!actor.Person.Has(RetentionSettings.Keepers)) return Refusal.Forbidden;
        var now = actor.Now;
        var hold = Ids.LooksValid(id) ? await db.LegalHolds.SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        if (hold is null) return Refusal.NotFound;
        if (hold.RecordId is not null && await RetentionSettings.KeptRecordAsync(db, actor, hold.RecordId, ct) is null) return Refusal.NotFound;
        if (hold.CaseId is not null && !await actor.CasesInCharge(db.Cases).AnyAsync(c => c.Id == hold.CaseId, ct)) return Refusal.NotFound;
        if (hold.ReleasedAt is not null) return new Refusal(409, "hold-released");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        hold.ReleasedAt = now;
        hold.ReleasedById = actor.Id;
        db.LedgerPending.Add(LedgerLeaves.LegalHold(PurgeKinds.HoldReleased, hold, actor.Id, now));
        await db.SaveChangesAsync(ct);
        await RetentionRules.RecomputeAsync(db, hold.RecordId is not null ? [hold.RecordId] : await RetentionRules.RecordsOfCaseAsync(db, hold.CaseId!, ct), now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
