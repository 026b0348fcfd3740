using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using AvLedger.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Sessions;

/// <summary>Art. 10: time-coded key-content markers on a record, each a ledger leaf.</summary>
public sealed class KeyContentMarking(AvLedgerDb db)
{
    public sealed record NewMarker(double? OffsetSeconds, string? Category, string? Note);
    public sealed record MarkerView(string Id, double OffsetSeconds, string Category, string Note, string? By, DateTimeOffset CreatedAt);

    sealed record Markable(string Id, double? DurationSeconds, bool MayMark);

    /// <summary>The record as far as marking needs it, if the person may know of it; whether they may mark
    /// it is <see cref="Scope.MarksKeyContent"/>, their membership of its session counting.</summary>
    async Task<Markable?> FindAsync(Scope actor, string recordId, CancellationToken ct)
    {
        if (!Ids.LooksValid(recordId)) return null;
        var id = actor.Id;
        var record = await actor.Records(db.Records.AsNoTracking())
            .Select(r => new { r.Id, r.OfficerId, r.UnitPath, r.DurationSeconds, Member = r.Session != null && r.Session.Officers.Any(o => o.AccountId == id) })
            .SingleOrDefaultAsync(r => r.Id == recordId, ct);
        return record is null ? null : new Markable(record.Id, record.DurationSeconds, actor.MarksKeyContent(record.OfficerId, record.UnitPath, record.Member));
    }

    /// <summary>Whether the person may mark key content on the record (a page offers the form only then).</summary>
    public async Task<bool> MayMarkAsync(Scope actor, string recordId, CancellationToken ct) =>
        await FindAsync(actor, recordId, ct) is { MayMark: true };

    public async Task<Outcome<List<MarkerView>>> ListAsync(Scope actor, string recordId, CancellationToken ct)
    {
        if (!Ids.LooksValid(recordId) || !await actor.Records(db.Records).AnyAsync(r => r.Id == recordId, ct)) return Refusal.NotFound;
        var rows = await db.KeyContentMarkers.AsNoTracking().Where(m => m.RecordId == recordId).OrderBy(m => m.OffsetSeconds).ThenBy(m => m.CreatedAt)
            .Select(m => new { m, By = db.Accounts.Where(a => a.Id == m.CreatedById).Select(a => a.DisplayName).FirstOrDefault() }).ToListAsync(ct);
        return rows.Select(x => new MarkerView(x.m.Id, x.m.OffsetSeconds, CamelNames.Of(x.m.Category.ToString()), x.m.Note, x.By, RecordingTimes.ToChina(x.m.CreatedAt))).ToList();
    }

    /// <summary>The record's officer, an officer of its session, or a head, inspector or legal officer over its unit
    /// marks it; others who may only see it (grantees, auditors) may not.</summary>
    public async Task<Outcome<KeyContentMarker>> AddAsync(Scope actor, string recordId, NewMarker m, CancellationToken ct)
    {
        var record = await FindAsync(actor, recordId, ct);
        if (record is null) return Refusal.NotFound;
        if (!record.MayMark) return new Refusal(403, "not-permitted-to-mark");
        if (m.OffsetSeconds is not { } offset || offset < 0 || (record.DurationSeconds is { } d && offset > d + 0.5) || double.IsNaN(offset))
            return EnforcementSessions.Invalid("marker-position", (object?)record.DurationSeconds ?? "");
        if (!CamelNames.TryParse<KeyContent>(m.Category, out var category))
            return EnforcementSessions.Invalid("marker-category", new Listing(CamelNames.Of<KeyContent>()));
        if (m.Note is null || m.Note.Length > 2000) return EnforcementSessions.Invalid("marker-note");
        var marker = new KeyContentMarker
        {
            Id = Ids.New(),
            RecordId = record.Id,
            OffsetSeconds = Math.Round(offset, 3),
            Category = category,
            Note = m.Note.Trim(),
            NoteSalt = AccessRequests.NewSalt(),
            CreatedById = actor.Id,
            CreatedAt = actor.Now,
        };
        db.KeyContentMarkers.Add(marker);
        db.LedgerPending.Add(LedgerLeaves.MarkerAdded(marker, AccessRequests.Commit(marker.NoteSalt, marker.Note)));
        await db.SaveChangesAsync(ct);
        return marker;
    }
}
