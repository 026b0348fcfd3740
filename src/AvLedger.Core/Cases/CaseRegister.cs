using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Refusals;
using AvLedger.Core.Retention;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Cases;

/// <summary>How far around an enforcement event a recording counts as part of it (the server's setting).</summary>
public sealed record CaseLinkBuffer(TimeSpan Value);

/// <summary>Art. 15 (R-15a): cases, and the records and sessions linked to them by hand or from the
/// enforcement management system's events. Legal officers and heads handle the cases of their
/// subtree; everyone sees the cases <see cref="Scope.Cases"/> lets them. Links are history: made, never deleted.</summary>
public sealed class CaseRegister(AvLedgerDb db, CaseLinkBuffer buffer)
{
    public sealed record NewCase(string? Number, string? Title, string? Type, string? UnitCode, string? Plates, string? Parties);
    public sealed record CaseChange(CaseStatus? Status, string? Title, string? Type, string? Plates, string? Parties);
    public sealed record NewLink(string? RecordId, string? SessionId);
    public sealed record CaseView(string Id, string Number, string Title, string? Type, CaseStatus Status, string UnitCode, string UnitName,
        string? Plates, string? Parties, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt);
    public sealed record LinkView(string Id, string? RecordId, string? RecordFileName, DateTimeOffset? RecordedStart, string? SessionId, string? SessionTitle,
        bool Automatic, string? Reason, string? EventId, DateTimeOffset LinkedAt);
    public sealed record CaseDetail(CaseView Case, IReadOnlyList<LinkView> Links);

    public static Refusal Invalid(string reason) => new(400, "case-invalid", reason);
    static readonly Refusal StatusInvalid = new(409, "case-status-invalid");
    static readonly Refusal AlreadyLinked = new(409, "already-linked");

    /// <summary>What is wrong with a case's fields, if anything (the form, the API and the import share it).</summary>
    public static Refusal? Check(string? number, string? title, string? type, string? plates, string? parties)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Trim().Length > 100) return Invalid("number-missing");
        if (number.IndexOfAny(['/', '\\', '?', '#']) >= 0 || number.Any(char.IsControl)) return Invalid("number-characters");
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > 500) return Invalid("title-missing");
        if (type?.Length > 100) return Invalid("type-long");
        if (plates?.Length > 1000 || parties?.Length > 1000) return Invalid("plates-parties-long");
        return null;
    }

    public async Task<Outcome<Case>> CreateAsync(Scope actor, NewCase n, CancellationToken ct)
    {
        if (Check(n.Number, n.Title, n.Type, n.Plates, n.Parties) is { } bad) return bad;
        var unit = string.IsNullOrWhiteSpace(n.UnitCode) ? null
            : await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == n.UnitCode.Trim() && !u.Disabled, ct);
        if (unit is null || !actor.Covers(unit.Path)) return Invalid("unit-out-of-scope");
        var number = n.Number!.Trim();
        if (await db.Cases.AnyAsync(c => c.Number == number, ct)) return Refusal.AlreadyExists("case-number", number);
        var now = actor.Now;
        var @case = new Case
        {
            Id = Ids.New(), Number = number, Title = n.Title!.Trim(), CaseType = Blank(n.Type), Status = CaseStatus.Open,
            UnitId = unit.Id, UnitPath = unit.Path, Plates = Blank(n.Plates), Parties = Blank(n.Parties), CreatedAt = now,
        };
        db.Cases.Add(@case);
        db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.created", @case, actor.Id, now));
        // Events that named this number before the case was entered link their records now.
        await CaseLinking.LinkCaseAsync(db, @case, buffer.Value, actor.Id, now, ct);
        await db.SaveChangesAsync(ct);
        return @case;
    }

    IQueryable<Case> Visible(Scope viewer) => viewer.Cases(db.Cases.AsNoTracking(), db.Records, db.SessionOfficers);

    public async Task<List<CaseView>> ListAsync(Scope viewer, string? q, CaseStatus? status, CancellationToken ct)
    {
        var query = Visible(viewer);
        if (status is { } s) query = query.Where(c => c.Status == s);
        if (Blank(q) is { } text)
            query = query.Where(c => c.Number.Contains(text) || c.Title.Contains(text) || (c.Plates != null && c.Plates.Contains(text)) || (c.Parties != null && c.Parties.Contains(text)));
        return await Project(query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Number).Take(500)).ToListAsync(ct);
    }

    IQueryable<CaseView> Project(IQueryable<Case> cases) =>
        from c in cases
        join u in db.Units on c.UnitId equals u.Id
        select new CaseView(c.Id, c.Number, c.Title, c.CaseType, c.Status, u.Code, u.Name, c.Plates, c.Parties, c.CreatedAt, c.ClosedAt);

    /// <summary>A case with the links to what the viewer could reach anyway: a case shows each person only those records and sessions.</summary>
    public async Task<Outcome<CaseDetail>> DetailAsync(Scope viewer, string number, CancellationToken ct)
    {
        var view = await Project(Visible(viewer).Where(c => c.Number == number)).SingleOrDefaultAsync(ct);
        if (view is null) return Refusal.NotFound;
        var links = await db.CaseLinks.AsNoTracking().Where(l => l.CaseId == view.Id).OrderBy(l => l.LinkedAt).ThenBy(l => l.Id).ToListAsync(ct);
        var recordIds = links.Where(l => l.RecordId != null).Select(l => l.RecordId!).Distinct().ToList();
        var sessionIds = links.Where(l => l.SessionId != null).Select(l => l.SessionId!).Distinct().ToList();
        var records = await viewer.Records(db.Records.AsNoTracking()).Where(r => recordIds.Contains(r.Id))
            .Select(r => new { r.Id, r.FileName, r.RecordedStart }).ToDictionaryAsync(r => r.Id, ct);
        var sessions = await viewer.Sessions(db.Sessions.AsNoTracking()).Where(s => sessionIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Title }).ToDictionaryAsync(s => s.Id, ct);
        var shown = links
            .Where(l => l.RecordId is { } r ? records.ContainsKey(r) : l.SessionId is { } s && sessions.ContainsKey(s))
            .Select(l => new LinkView(l.Id, l.RecordId, l.RecordId is { } r ? records[r].FileName : null, l.RecordId is { } r2 ? records[r2].RecordedStart : null,
                l.SessionId, l.SessionId is { } s ? sessions[s].Title : null, l.Automatic, l.Reason, l.EventId, l.LinkedAt))
            .ToList();
        return new CaseDetail(view, shown);
    }

    /// <summary>Whether the person handles (changes, links) the case numbered <paramref name="number"/>.</summary>
    public Task<bool> HandlesAsync(Scope actor, string number, CancellationToken ct) => actor.HandledCases(db.Cases).AnyAsync(c => c.Number == number, ct);

    /// <summary>The units a handler may file a new case under: their subtree's, not disabled.</summary>
    public async Task<List<(string Code, string Name)>> UnitsForNewCasesAsync(Scope actor, CancellationToken ct) =>
        !actor.Person.Has(Scope.CaseHandlers) || actor.Person.UnitPath is null ? [] :
        (await actor.Units(db.Units.AsNoTracking()).Where(u => !u.Disabled).OrderBy(u => u.Path).Select(u => new { u.Code, u.Name }).ToListAsync(ct))
            .Select(u => (u.Code, u.Name)).ToList();

    /// <summary>Status goes forward only: open → closed → archived (closing sets ClosedAt). Ledgered.</summary>
    public async Task<Outcome<CaseView>> ChangeAsync(Scope actor, string number, CaseChange change, CancellationToken ct)
    {
        var @case = await actor.HandledCases(db.Cases).SingleOrDefaultAsync(c => c.Number == number, ct);
        if (@case is null) return Refusal.NotFound;
        if (Check(@case.Number, change.Title ?? @case.Title, change.Type, change.Plates, change.Parties) is { } bad) return bad;
        var now = actor.Now;
        if (change.Status is { } status && status != @case.Status)
        {
            if (status < @case.Status || (status == CaseStatus.Archived && @case.Status == CaseStatus.Open)) return StatusInvalid;
            @case.Status = status;
            if (status == CaseStatus.Closed) @case.ClosedAt = now;
            db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.status", @case, actor.Id, now));
        }
        var edited = false;
        if (Blank(change.Title) is { } title && title != @case.Title) (@case.Title, edited) = (title, true);
        if (change.Type is not null && Blank(change.Type) != @case.CaseType) (@case.CaseType, edited) = (Blank(change.Type), true);
        if (change.Plates is not null && Blank(change.Plates) != @case.Plates) (@case.Plates, edited) = (Blank(change.Plates), true);
        if (change.Parties is not null && Blank(change.Parties) != @case.Parties) (@case.Parties, edited) = (Blank(change.Parties), true);
        if (edited) db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.updated", @case, actor.Id, now));
        await SaveKeepingRetentionAsync(db, [@case.Number], now, ct);
        return await Project(db.Cases.Where(c => c.Id == @case.Id)).SingleAsync(ct);
    }

    /// <summary>Links a record or a session the person may see to a case they handle.</summary>
    public async Task<Outcome<CaseLink>> LinkAsync(Scope actor, string number, NewLink link, CancellationToken ct)
    {
        var @case = await actor.HandledCases(db.Cases).SingleOrDefaultAsync(c => c.Number == number, ct);
        if (@case is null) return Refusal.NotFound;
        if ((link.RecordId is null) == (link.SessionId is null)) return Invalid("one-target");
        var found = link.RecordId is { } recordId
            ? Ids.LooksValid(recordId) && await actor.Records(db.Records).AnyAsync(r => r.Id == recordId, ct)
            : Ids.LooksValid(link.SessionId) && await actor.Sessions(db.Sessions).AnyAsync(s => s.Id == link.SessionId, ct);
        if (!found) return Refusal.NotFound;
        var made = await CaseLinking.LinkByHandAsync(db, @case, link.RecordId, link.SessionId, actor.Id, actor.Now, ct);
        if (made is null) return AlreadyLinked;
        await SaveKeepingRetentionAsync(db, [@case.Number], actor.Now, ct);
        return made;
    }

    /// <summary>One box for both, as the case page has it: an id naming a session the person may see links the session, else a record.</summary>
    public async Task<Outcome<CaseLink>> LinkEitherAsync(Scope actor, string number, string? id, CancellationToken ct)
    {
        id = id?.Trim();
        var session = id is not null && await actor.Sessions(db.Sessions).AnyAsync(s => s.Id == id, ct);
        return await LinkAsync(actor, number, session ? new NewLink(null, id) : new NewLink(id, null), ct);
    }

    /// <summary>The cases linked to a record (directly or through its session), for the record page.</summary>
    public static async Task<List<(string Number, string Title, bool Automatic, string? Reason)>> OfRecordAsync(AvLedgerDb db, string recordId, string? sessionId, CancellationToken ct) =>
        (await db.CaseLinks.AsNoTracking().Where(l => l.RecordId == recordId || (sessionId != null && l.SessionId == sessionId))
            .OrderBy(l => l.LinkedAt).Select(l => new { l.Case!.Number, l.Case.Title, l.Automatic, l.Reason }).ToListAsync(ct))
        .Select(x => (x.Number, x.Title, x.Automatic, x.Reason)).ToList();

    /// <summary>Art. 13: a case's status and links decide how long its records are kept, so the change and the
    /// records' new retention are saved together.</summary>
    internal static async Task SaveKeepingRetentionAsync(AvLedgerDb db, IReadOnlyCollection<string> caseNumbers, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        var ids = await db.Cases.Where(c => caseNumbers.Contains(c.Number)).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in ids) await RetentionRules.RecomputeCaseAsync(db, id, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
