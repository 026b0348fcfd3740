using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Ledger;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Retention;

/// <summary>
/// Art. 13: how long a record is kept. From the recording day (Beijing): the longest of 180
/// days and each of its categories' periods; a category kept "until the case file's disposal" keeps
/// to the linked case's disposal date, or has no end while that is unknown; a record linked to an
/// open case has no end, to a closed one it is kept to the closing day plus the longest period; an
/// active legal hold (on the record or a linked case) has no end. Never below the 180-day floor.
/// </summary>
public static class RetentionRules
{
    /// <summary>What the rules give: the date the record is kept at least until, and whether it is
    /// kept with no end date for now (then <see cref="RetainUntil"/> is only a floor).</summary>
    public sealed record Outcome(DateOnly RetainUntil, bool OpenEnded)
    {
        /// <summary>Whether the record may be proposed for purge on <paramref name="today"/> (Beijing).</summary>
        public bool ExpiredOn(DateOnly today) => !OpenEnded && RetainUntil < today;
    }

    /// <summary>The day in Beijing at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now) => RecordingTimes.RecordingDay(now);

    /// <summary>The rules for one record as they stand in the database now.</summary>
    public static async Task<Outcome> ComputeAsync(AvLedgerDb db, Record record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        var categories = await db.RecordRetentions.AsNoTracking().Where(x => x.RecordId == record.Id)
            .Join(db.RetentionCategories.AsNoTracking(), x => x.CategoryCode, c => c.Code, (x, c) => c.Days)
            .ToListAsync(ct);
        var sessionId = record.SessionId;
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.Links.Any(l => l.RecordId == record.Id || (sessionId != null && l.SessionId == sessionId)))
            .Select(c => new LinkedCase(c.Id, c.Status, c.ClosedAt, c.FileDisposalDate))
            .ToListAsync(ct);
        var caseIds = cases.Select(c => c.Id).ToList();
        var held = await db.LegalHolds.AsNoTracking()
            .AnyAsync(h => h.ReleasedAt == null && (h.RecordId == record.Id || (h.CaseId != null && caseIds.Contains(h.CaseId))), ct);
        return Compute(RecordingTimes.RetentionBasis(record), categories, cases, held);
    }

    public sealed record LinkedCase(string Id, CaseStatus Status, DateTimeOffset? ClosedAt, DateOnly? FileDisposalDate);

    /// <summary>The rules themselves, from what <see cref="ComputeAsync"/> gathered.</summary>
    public static Outcome Compute(DateTimeOffset recordedStart, IReadOnlyCollection<int?> categoryDays, IReadOnlyCollection<LinkedCase> cases, bool held)
    {
        ArgumentNullException.ThrowIfNull(categoryDays);
        ArgumentNullException.ThrowIfNull(cases);
        var day = RecordingTimes.RecordingDay(recordedStart);
        var longest = categoryDays.Where(d => d is not null).Select(d => d!.Value).Append(RecordingTimes.MinimumRetentionDays).Max();
        var until = day.AddDays(longest);
        var openEnded = held;
        // "Until the case file's own disposal": the linked cases' disposal dates, or no end while one is unknown.
        if (categoryDays.Any(d => d is null))
        {
            if (cases.Count == 0 || cases.Any(c => c.FileDisposalDate is null)) openEnded = true;
            foreach (var c in cases)
                if (c.FileDisposalDate is { } disposal && disposal > until) until = disposal;
        }
        foreach (var c in cases)
        {
            if (c.Status == CaseStatus.Open || c.ClosedAt is null) openEnded = true;
            else if (RecordingTimes.RecordingDay(c.ClosedAt.Value).AddDays(longest) is var afterClose && afterClose > until) until = afterClose;
        }
        var floor = RecordingTimes.RetainUntil(recordedStart);
        return new Outcome(until < floor ? floor : until, openEnded);
    }

    /// <summary>
    /// Re-applies the rules to <paramref name="recordIds"/>: call it whenever categories, holds, case
    /// links or a case's status change, then SaveChanges (the records are tracked and changed in
    /// place). The rules read the database, so pending changes are saved first; wrap both saves in a
    /// transaction to keep them one step. A record the rules keep again loses its live purge proposal
    /// (withdrawn, ledgered). Returns the records whose retention changed.
    /// </summary>
    public static async Task<List<Record>> RecomputeAsync(AvLedgerDb db, IEnumerable<string> recordIds, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = recordIds.Distinct().ToList();
        var changed = new List<Record>();
        if (ids.Count == 0) return changed;
        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        var records = await db.Records.Where(r => ids.Contains(r.Id) && r.PurgedAt == null).ToListAsync(ct);
        var today = Today(now);
        foreach (var record in records)
        {
            var outcome = await ComputeAsync(db, record, ct);
            if (outcome.RetainUntil != record.RetainUntil || outcome.OpenEnded != record.RetentionOpenEnded)
            {
                record.RetainUntil = outcome.RetainUntil;
                record.RetentionOpenEnded = outcome.OpenEnded;
                changed.Add(record);
            }
            if (!outcome.ExpiredOn(today))
            {
                var live = await db.PurgeProposals
                    .Where(p => p.RecordId == record.Id && (p.State == PurgeState.Proposed || p.State == PurgeState.Approved))
                    .ToListAsync(ct);
                foreach (var p in live)
                {
                    p.State = PurgeState.Withdrawn;
                    p.DecidedAt ??= now;
                    db.LedgerPending.Add(LedgerLeaves.Purge(PurgeKinds.Withdrawn, p, null, now));
                }
            }
        }
        return changed;
    }

    /// <summary>Every record linked to <paramref name="caseId"/>, directly or through its session: what
    /// to recompute when that case's status, disposal date or holds change.</summary>
    public static async Task<List<string>> RecordsOfCaseAsync(AvLedgerDb db, string caseId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var direct = await db.CaseLinks.Where(l => l.CaseId == caseId && l.RecordId != null).Select(l => l.RecordId!).ToListAsync(ct);
        var sessions = db.CaseLinks.Where(l => l.CaseId == caseId && l.SessionId != null).Select(l => l.SessionId);
        var viaSession = await db.Records.Where(r => r.SessionId != null && sessions.Contains(r.SessionId)).Select(r => r.Id).ToListAsync(ct);
        return [.. direct.Concat(viaSession).Distinct()];
    }

    /// <summary>For the cases feature: call after a case's status, closing time or disposal date
    /// changes (or its links or holds do), then SaveChanges.</summary>
    public static async Task<List<Record>> RecomputeCaseAsync(AvLedgerDb db, string caseId, DateTimeOffset now, CancellationToken ct = default) =>
        await RecomputeAsync(db, await RecordsOfCaseAsync(db, caseId, ct), now, ct);
}

/// <summary>The ledger kinds of the purge steps, holds and category changes (from <see cref="LeafKinds"/>).</summary>
public static class PurgeKinds
{
    public const string Proposed = LeafKinds.PurgeProposed;
    public const string Approved = LeafKinds.PurgeApproved;
    public const string Rejected = LeafKinds.PurgeRejected;
    public const string Cancelled = LeafKinds.PurgeCancelled;
    public const string Withdrawn = LeafKinds.PurgeWithdrawn;
    public const string HoldPlaced = LeafKinds.HoldPlaced;
    public const string HoldReleased = LeafKinds.HoldReleased;
    public const string CategoryChanged = LeafKinds.RetentionCategoryChanged;
}
