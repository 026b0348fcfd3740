using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Scoping;
using AvLedger.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Records;

/// <summary>One record as its page shows it: the record, who and where it belongs to, what the person
/// may do with it, what keeps it, the cases it belongs to, and who touched it.</summary>
public sealed class RecordDesk(AvLedgerDb db, KeyContentMarking marking)
{
    public sealed record TrailRow(DateTimeOffset At, string Action, string ActorName, int Requests);

    public sealed record Described(Record Record, string? OfficerName, string? UnitName, bool CanView, bool CanCopy, bool CanMark,
        IReadOnlyList<string> RetentionCategories, int ActiveHolds, List<(string Number, string Title, bool Automatic, string? Reason)> Cases,
        bool SeesAllActions, List<TrailRow> Trail);

    /// <summary>Art. 17 supervision: heads, inspectors and auditors see who touched a record; others see their own actions.</summary>
    public const Role SeeAllActions = Role.DepartmentHead | Role.Inspector | Role.Auditor;

    /// <summary>Null when the person may not know the record exists.</summary>
    public async Task<Described?> DescribeAsync(Scope actor, string id, CancellationToken ct)
    {
        var record = Ids.LooksValid(id) ? await actor.Records(db.Records.AsNoTracking()).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (record is null) return null;
        var officerName = record.OfficerId is null ? null : await db.Accounts.Where(a => a.Id == record.OfficerId).Select(a => a.DisplayName).SingleOrDefaultAsync(ct);
        var unitName = record.UnitId is null ? null : await db.Units.Where(u => u.Id == record.UnitId).Select(u => u.Name).SingleOrDefaultAsync(ct);
        // Knowing a record exists is not seeing it: auditors and custodians get the details only.
        var canView = record.PurgedAt is null && await actor.Records(db.Records, Access.View).AnyAsync(r => r.Id == record.Id, ct);
        var categories = await db.RecordRetentions.AsNoTracking().Where(x => x.RecordId == record.Id)
            .Join(db.RetentionCategories, x => x.CategoryCode, c => c.Code, (x, c) => c.Name).ToListAsync(ct);
        var sessionId = record.SessionId;
        var holds = await db.LegalHolds.CountAsync(h => h.ReleasedAt == null && (h.RecordId == record.Id
            || (h.CaseId != null && db.CaseLinks.Any(l => l.CaseId == h.CaseId && (l.RecordId == record.Id || (sessionId != null && l.SessionId == sessionId))))), ct);
        var canCopy = canView && await actor.Records(db.Records, Access.Copy).AnyAsync(r => r.Id == record.Id, ct);
        // Art. 10: the record's officers and those over its unit mark key content.
        var canMark = canView && await marking.MayMarkAsync(actor, record.Id, ct);
        var cases = await CaseRegister.OfRecordAsync(db, record.Id, record.SessionId, ct);
        var seesAll = actor.Person.Has(SeeAllActions);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.RecordId == record.Id);
        var me = actor.Id;
        if (!seesAll) events = events.Where(e => e.ActorId == me);
        var trail = await events.OrderByDescending(e => e.At).Take(200)
            .Select(e => new TrailRow(e.At, e.Action, db.Accounts.Where(a => a.Id == e.ActorId).Select(a => a.DisplayName).FirstOrDefault() ?? e.ActorId, e.Requests))
            .ToListAsync(ct);
        return new Described(record, officerName, unitName, canView, canCopy, canMark, categories, holds, cases, seesAll, trail);
    }
}
