using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Cases;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Sessions;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Cases;

/// <summary>Art. 15 (R-15a): cases, and the records and sessions linked to them by hand or from the
/// enforcement management system's events. Links are history: they are made, never deleted.</summary>
public static class CasesApi
{
    public sealed record NewCase(string? Number, string? Title, string? Type, string? UnitCode, string? Plates, string? Parties);
    public sealed record CaseChange(CaseStatus? Status, string? Title, string? Type, string? Plates, string? Parties);
    public sealed record NewLink(string? RecordId, string? SessionId);
    public sealed record Created(string Id);
    public sealed record CaseView(string Id, string Number, string Title, string? Type, CaseStatus Status, string UnitCode, string UnitName,
        string? Plates, string? Parties, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt);
    public sealed record LinkView(string Id, string? RecordId, string? RecordFileName, DateTimeOffset? RecordedStart, string? SessionId, string? SessionTitle,
        bool Automatic, string? Reason, string? EventId, DateTimeOffset LinkedAt);
    public sealed record CaseDetail(CaseView Case, IReadOnlyList<LinkView> Links);

    /// <summary>Who creates, changes and links cases by hand: legal officers and department heads, in their subtree.</summary>

    public static void MapCases(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").RequireAuthorization();
        cases.MapPost("/", CreateAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.DepartmentHead)));
        cases.MapGet("/", async (CurrentUser user, AvLedgerDb db, CancellationToken ct, string? q = null, CaseStatus? status = null) =>
            TypedResults.Ok(await ListAsync(user, db, q, status, ct)));
        cases.MapGet("/{number}", GetAsync);
        cases.MapPatch("/{number}", ChangeAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.DepartmentHead)));
        cases.MapPost("/{number}/links", LinkAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.LegalOfficer), nameof(Role.DepartmentHead)));
        app.MapCaseImports();
    }

    public static ProblemHttpResult Invalid(string zh, string en) => Problems.Of(400, "case-invalid", "案件信息无效", "Invalid case", zh, en);

    static IQueryable<Case> Visible(AvLedgerDb db, CurrentUser user) => db.Cases.AsNoTracking().VisibleTo(db.Records, db.SessionOfficers, user.Account);

    /// <summary>Cases the user may change: visible, and their unit inside the user's own subtree.</summary>
    static IQueryable<Case> Handled(AvLedgerDb db, CurrentUser user)
    {
        return user.Scope.HandledCases(db.Cases);
    }

    /// <summary>What is wrong with a case's fields, if anything (shared by the form, the API and the import).</summary>
    public static (string Zh, string En)? Check(string? number, string? title, string? type, string? plates, string? parties)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Trim().Length > 100) return ("请填写案号（不超过 100 字）。", "Give the case number (at most 100 characters).");
        if (number.IndexOfAny(['/', '\\', '?', '#']) >= 0 || number.Any(char.IsControl)) return ("案号不能包含 / \\ ? # 或控制字符。", "A case number cannot contain / \\ ? # or control characters.");
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > 500) return ("请填写案件名称（不超过 500 字）。", "Give the case title (at most 500 characters).");
        if (type?.Length > 100) return ("案件类型不超过 100 字。", "The case type is at most 100 characters.");
        if (plates?.Length > 1000 || parties?.Length > 1000) return ("车牌号、当事人各不超过 1000 字。", "Plates and parties are at most 1000 characters each.");
        return null;
    }

    public static async Task<IResult> CreateAsync(NewCase n, CurrentUser user, AvLedgerDb db, TimeProvider clock, IOptions<AvLedgerOptions> options, CancellationToken ct)
    {
        if (Check(n.Number, n.Title, n.Type, n.Plates, n.Parties) is { } bad) return Invalid(bad.Zh, bad.En);
        var unit = string.IsNullOrWhiteSpace(n.UnitCode) ? null
            : await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == n.UnitCode.Trim() && !u.Disabled, ct);
        if (unit is null || !user.Scope.Covers(unit.Path))
            return Invalid("承办单位不存在，或不在您的管辖范围内。", "The unit does not exist or is outside your scope.");
        var number = n.Number!.Trim();
        if (await db.Cases.AnyAsync(c => c.Number == number, ct)) return Problems.AlreadyExists($"案号 {number} 已存在。", $"Case number {number} already exists.");
        var now = clock.GetUtcNow();
        var @case = new Case
        {
            Id = Ids.New(), Number = number, Title = n.Title!.Trim(), CaseType = Blank(n.Type), Status = CaseStatus.Open,
            UnitId = unit.Id, UnitPath = unit.Path, Plates = Blank(n.Plates), Parties = Blank(n.Parties), CreatedAt = now,
        };
        db.Cases.Add(@case);
        db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.created", @case, user.Id, now));
        // Events that named this number before the case was entered link their records now.
        await CaseLinking.LinkCaseAsync(db, @case, options.Value.CaseLinkBuffer, user.Id, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/cases/{Uri.EscapeDataString(number)}", new Created(@case.Id));
    }

    public static async Task<List<CaseView>> ListAsync(CurrentUser user, AvLedgerDb db, string? q, CaseStatus? status, CancellationToken ct)
    {
        var query = Visible(db, user);
        if (status is { } s) query = query.Where(c => c.Status == s);
        if (Blank(q) is { } text)
            query = query.Where(c => c.Number.Contains(text) || c.Title.Contains(text) || (c.Plates != null && c.Plates.Contains(text)) || (c.Parties != null && c.Parties.Contains(text)));
        return await Project(db, query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Number).Take(500)).ToListAsync(ct);
    }

    static IQueryable<CaseView> Project(AvLedgerDb db, IQueryable<Case> cases) =>
        from c in cases
        join u in db.Units on c.UnitId equals u.Id
        select new CaseView(c.Id, c.Number, c.Title, c.CaseType, c.Status, u.Code, u.Name, c.Plates, c.Parties, c.CreatedAt, c.ClosedAt);

    public static async Task<CaseDetail?> DetailAsync(string number, CurrentUser user, AvLedgerDb db, DateTimeOffset now, CancellationToken ct)
    {
        var view = await Project(db, Visible(db, user).Where(c => c.Number == number)).SingleOrDefaultAsync(ct);
        if (view is null) return null;
        var links = await db.CaseLinks.AsNoTracking().Where(l => l.CaseId == view.Id).OrderBy(l => l.LinkedAt).ThenBy(l => l.Id).ToListAsync(ct);
        var recordIds = links.Where(l => l.RecordId != null).Select(l => l.RecordId!).Distinct().ToList();
        var sessionIds = links.Where(l => l.SessionId != null).Select(l => l.SessionId!).Distinct().ToList();
        // Only what the caller may know of: a case shows each person the records they could reach anyway.
        var records = await db.Records.AsNoTracking().VisibleTo(user, now).Where(r => recordIds.Contains(r.Id))
            .Select(r => new { r.Id, r.FileName, r.RecordedStart }).ToDictionaryAsync(r => r.Id, ct);
        var sessions = await db.Sessions.AsNoTracking().VisibleTo(user.Account).Where(s => sessionIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Title }).ToDictionaryAsync(s => s.Id, ct);
        var shown = links
            .Where(l => l.RecordId is { } r ? records.ContainsKey(r) : l.SessionId is { } s && sessions.ContainsKey(s))
            .Select(l => new LinkView(l.Id, l.RecordId, l.RecordId is { } r ? records[r].FileName : null, l.RecordId is { } r2 ? records[r2].RecordedStart : null,
                l.SessionId, l.SessionId is { } s ? sessions[s].Title : null, l.Automatic, l.Reason, l.EventId, l.LinkedAt))
            .ToList();
        return new CaseDetail(view, shown);
    }

    static async Task<IResult> GetAsync(string number, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct) =>
        await DetailAsync(number, user, db, clock.GetUtcNow(), ct) is { } detail ? TypedResults.Ok(detail) : Problems.NotFound();

    /// <summary>Status goes forward only: open → closed → archived (closing sets ClosedAt). Ledgered.</summary>
    public static async Task<IResult> ChangeAsync(string number, CaseChange change, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var @case = await Handled(db, user).SingleOrDefaultAsync(c => c.Number == number, ct);
        if (@case is null) return Problems.NotFound();
        if (Check(@case.Number, change.Title ?? @case.Title, change.Type, change.Plates, change.Parties) is { } bad) return Invalid(bad.Zh, bad.En);
        var now = clock.GetUtcNow();
        if (change.Status is { } status && status != @case.Status)
        {
            if (status < @case.Status || (status == CaseStatus.Archived && @case.Status == CaseStatus.Open))
                return Problems.Of(409, "case-status-invalid", "案件状态不能这样变更", "Status cannot change this way",
                    "案件状态只能依次变更：办理中 → 已结案 → 已归档。", "A case goes open → closed → archived, one step at a time.");
            @case.Status = status;
            if (status == CaseStatus.Closed) @case.ClosedAt = now;
            db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.status", @case, user.Id, now));
        }
        var edited = false;
        if (Blank(change.Title) is { } title && title != @case.Title) (@case.Title, edited) = (title, true);
        if (change.Type is not null && Blank(change.Type) != @case.CaseType) (@case.CaseType, edited) = (Blank(change.Type), true);
        if (change.Plates is not null && Blank(change.Plates) != @case.Plates) (@case.Plates, edited) = (Blank(change.Plates), true);
        if (change.Parties is not null && Blank(change.Parties) != @case.Parties) (@case.Parties, edited) = (Blank(change.Parties), true);
        if (edited) db.LedgerPending.Add(LedgerLeaves.CaseChanged("case.updated", @case, user.Id, now));
        await SaveKeepingRetentionAsync(db, [@case.Number], now, ct);
        return TypedResults.Ok(await Project(db, db.Cases.Where(c => c.Id == @case.Id)).SingleAsync(ct));
    }

    /// <summary>Links a record or a session the caller may see to a case they handle.</summary>
    public static async Task<IResult> LinkAsync(string number, NewLink link, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var @case = await Handled(db, user).SingleOrDefaultAsync(c => c.Number == number, ct);
        if (@case is null) return Problems.NotFound();
        if ((link.RecordId is null) == (link.SessionId is null))
            return Invalid("请指定且只指定 recordId 或 sessionId 之一。", "Name exactly one of recordId and sessionId.");
        var now = clock.GetUtcNow();
        var found = link.RecordId is { } recordId
            ? Ids.LooksValid(recordId) && await db.Records.VisibleTo(user, now).AnyAsync(r => r.Id == recordId, ct)
            : Ids.LooksValid(link.SessionId) && await db.Sessions.VisibleTo(user.Account).AnyAsync(s => s.Id == link.SessionId, ct);
        if (!found) return Problems.NotFound();
        var made = await CaseLinking.LinkByHandAsync(db, @case, link.RecordId, link.SessionId, user.Id, now, ct);
        if (made is null) return Problems.Of(409, "already-linked", "已关联", "Already linked", "该记录或执法过程已关联到此案件。", "This record or session is already linked to the case.");
        await SaveKeepingRetentionAsync(db, [@case.Number], now, ct);
        return TypedResults.Created($"/api/v1/cases/{Uri.EscapeDataString(number)}", new Created(made.Id));
    }

    /// <summary>Art. 13: a case's status and links decide how long its records are kept, so the change and the
    /// records' new retention are saved together.</summary>
    public static async Task SaveKeepingRetentionAsync(AvLedgerDb db, IReadOnlyCollection<string> caseNumbers, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        var ids = await db.Cases.Where(c => caseNumbers.Contains(c.Number)).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in ids) await Core.Retention.RetentionRules.RecomputeCaseAsync(db, id, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The cases linked to a record (directly or through its session), for the record page.</summary>
    public static async Task<List<(string Number, string Title, bool Automatic, string? Reason)>> OfRecordAsync(AvLedgerDb db, string recordId, string? sessionId, CancellationToken ct) =>
        (await db.CaseLinks.AsNoTracking().Where(l => l.RecordId == recordId || (sessionId != null && l.SessionId == sessionId))
            .OrderBy(l => l.LinkedAt).Select(l => new { l.Case!.Number, l.Case.Title, l.Automatic, l.Reason }).ToListAsync(ct))
        .Select(x => (x.Number, x.Title, x.Automatic, x.Reason)).ToList();

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
