using AvLedger.Core.Scoping;
using System.Text.RegularExpressions;
using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Data;
using AvLedger.Core.Ledger;
using AvLedger.Core.Records;
using AvLedger.Core.Retention;
using AvLedger.Server.Approvals;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AvLedger.Server.Retention;

/// <summary>
/// Art. 13 (R-13): retention categories and their periods, a record's categories, legal holds, and
/// purge proposals decided in writing by a head, with a recovery window before anything is destroyed.
/// Nothing here removes an original: destruction is the retention worker's, after the window.
/// </summary>
public static partial class RetentionApi
{
    public sealed record CategoryView(string Code, string Name, int? Days, bool Disabled);
    public sealed record CategoryChange(string? Name, int? Days, bool? Disabled);
    public sealed record CategoryChoice(List<string>? Categories);
    public sealed record RetentionView(string RecordId, DateOnly RetainUntil, bool OpenEnded, IReadOnlyList<string> Categories, DateTimeOffset? PurgedAt);
    public sealed record NewHold(string? RecordId, string? CaseNumber, string? Reason);
    public sealed record HoldView(string Id, string? RecordId, string? CaseId, string? CaseNumber, string Reason, string PlacedById, DateTimeOffset PlacedAt, DateTimeOffset? ReleasedAt);
    public sealed record ProposalView(string Id, string RecordId, string? FileName, string? OfficerBadge, DateTimeOffset RecordedStart, DateOnly RetainUntil,
        string State, DateTimeOffset ProposedAt, string? DeciderId, DateTimeOffset? DecidedAt, DateTimeOffset? DestroyAfter, DateTimeOffset? ExecutedAt);

    const Role Keepers = Role.DepartmentHead | Role.LegalOfficer;

    public static void MapRetention(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/retention/categories", ListCategoriesAsync).RequireAuthorization();
        app.MapPut("/api/v1/retention/categories/{code}", PutCategoryAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.SystemAdministrator)));
        app.MapPost("/api/v1/records/{id}/retention", SetCategoriesAsync)
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)));
        app.MapGet("/api/v1/legal-holds", ListHoldsAsync)
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer), nameof(Role.Inspector), nameof(Role.Auditor)));
        app.MapPost("/api/v1/legal-holds", PlaceHoldAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)));
        app.MapPost("/api/v1/legal-holds/{id}/release", ReleaseHoldAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.LegalOfficer)));
        app.MapGet("/api/v1/purge-proposals", ListProposalsAsync)
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead), nameof(Role.Inspector), nameof(Role.Auditor)));
        app.MapPost("/api/v1/purge-proposals/{id}/approve",
            (string id, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, IOptions<AvLedgerOptions> options, CancellationToken ct)
                => DecideAsync(id, true, d, user, db, signIns, clock, options, ct))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapPost("/api/v1/purge-proposals/{id}/reject",
            (string id, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, IOptions<AvLedgerOptions> options, CancellationToken ct)
                => DecideAsync(id, false, d, user, db, signIns, clock, options, ct))
            .RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        app.MapPost("/api/v1/purge-proposals/{id}/cancel", CancelAsync).RequireAuthorization(p => p.RequireRole(nameof(Role.DepartmentHead)));
        // Records are never deleted: not by anyone, not through the API. Those who may know the
        // record exists are told so (405); for everyone else it does not exist (404).
        app.MapDelete("/api/v1/records/{id}", RefuseDeleteAsync).RequireAuthorization();
    }

    public static ProblemHttpResult Invalid(string zh, string en) => Problems.Of(400, "retention-invalid", "保存期限设置无效", "Invalid retention input", zh, en);

    public static ProblemHttpResult Purged() => Problems.Of(410, "record-purged", "原始文件已按保存期限销毁", "Original destroyed after its retention period",
        "该记录已过保存期限，经负责人批准并在恢复期满后销毁；记录的元数据与哈希值仍予保留。",
        "The record's retention period ended and, after a head's approval and the recovery window, its original was destroyed; its metadata and hash are kept.");

    // ----- categories -----

    public static async Task<List<CategoryView>> CategoriesAsync(AvLedgerDb db, CancellationToken ct) =>
        (await db.RetentionCategories.AsNoTracking().Select(c => new CategoryView(c.Code, c.Name, c.Days, c.Disabled)).ToListAsync(ct))
            .OrderBy(c => c.Code == RetentionCategories.General ? 0 : 1).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();

    static async Task<Ok<List<CategoryView>>> ListCategoriesAsync(AvLedgerDb db, CancellationToken ct) => TypedResults.Ok(await CategoriesAsync(db, ct));

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{0,39}$")]
    private static partial Regex CodePattern();

    public static async Task<IResult> PutCategoryAsync(string code, CategoryChange c, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!user.Account.Has(Role.SystemAdministrator)) return Problems.Forbidden();
        if (!CodePattern().IsMatch(code)) return Invalid("类别代码须以字母开头，由字母、数字或连字符组成（不超过 40 个字符）。", "A category code starts with a letter and has letters, digits or hyphens (at most 40).");
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Trim().Length > 100) return Invalid("请填写类别名称（不超过 100 字）。", "Give the category a name (at most 100 characters).");
        if (c.Days is { } days && (days < RecordingTimes.MinimumRetentionDays || days > 365 * 100))
            return Problems.Of(400, "retention-too-short", "保存期限过短", "Retention period too short",
                $"保存期限自录制之日起不得少于 {RecordingTimes.MinimumRetentionDays} 日（收到 {days} 日）；“至案卷销毁”请留空天数。",
                $"No retention period may be shorter than {RecordingTimes.MinimumRetentionDays} days from the recording day (got {days}); leave days empty for \"until the case file's disposal\".");
        if (code == RetentionCategories.General && (c.Days is null || c.Disabled == true))
            return Invalid("“一般”类别须有天数且不能停用。", "The general category keeps a number of days and cannot be disabled.");
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var category = await db.RetentionCategories.SingleOrDefaultAsync(x => x.Code == code, ct);
        var created = category is null;
        if (category is null)
        {
            category = new RetentionCategory { Code = code, Name = c.Name.Trim() };
            db.RetentionCategories.Add(category);
        }
        category.Name = c.Name.Trim();
        category.Days = c.Days;
        category.Disabled = c.Disabled ?? false;
        AdministrationEvents.Add(db, user.Id, PurgeKinds.CategoryChanged, code,
            $"days={(c.Days?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "case-file")};disabled={category.Disabled.ToString().ToLowerInvariant()}", now);
        await db.SaveChangesAsync(ct);
        var affected = await db.RecordRetentions.Where(x => x.CategoryCode == code).Select(x => x.RecordId).ToListAsync(ct);
        await RetentionRules.RecomputeAsync(db, affected, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var view = new CategoryView(category.Code, category.Name, category.Days, category.Disabled);
        return created ? TypedResults.Created($"/api/v1/retention/categories/{code}", view) : TypedResults.Ok(view);
    }

    // ----- a record's categories -----

    /// <summary>The record, if <paramref name="user"/> is a head or legal officer over its unit (a grant makes nobody its keeper).</summary>
    static async Task<Record?> KeptRecordAsync(string id, CurrentUser user, AvLedgerDb db, DateTimeOffset now, CancellationToken ct)
    {
        if (!Ids.LooksValid(id) || !user.Account.Has(Keepers)) return null;
        var record = await db.Records.VisibleTo(user, now).SingleOrDefaultAsync(x => x.Id == id, ct);
        return record is not null && user.Scope.Covers(record.UnitPath) ? record : null;
    }

    public static async Task<IReadOnlyList<string>> CategoriesOfAsync(AvLedgerDb db, string recordId, CancellationToken ct) =>
        await db.RecordRetentions.AsNoTracking().Where(x => x.RecordId == recordId).OrderBy(x => x.CategoryCode).Select(x => x.CategoryCode).ToListAsync(ct);

    public static async Task<IResult> SetCategoriesAsync(string id, CategoryChoice c, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var record = await KeptRecordAsync(id, user, db, now, ct);
        if (record is null) return Problems.NotFound();
        if (record.PurgedAt is not null) return Purged();
        var codes = (c.Categories ?? []).Select(x => x?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count > 20) return Invalid("类别过多。", "Too many categories.");
        var known = await db.RetentionCategories.AsNoTracking().Where(x => codes.Contains(x.Code)).ToDictionaryAsync(x => x.Code, ct);
        var current = await db.RecordRetentions.Where(x => x.RecordId == record.Id).ToListAsync(ct);
        foreach (var code in codes)
        {
            if (!known.TryGetValue(code, out var category))
                return Invalid($"没有保存类别 “{code}”。", $"There is no retention category '{code}'.");
            if (category.Disabled && current.All(x => x.CategoryCode != code))
                return Invalid($"保存类别 “{code}” 已停用，不能再指定。", $"Retention category '{code}' is disabled and cannot be assigned.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.RecordRetentions.RemoveRange(current.Where(x => !codes.Contains(x.CategoryCode)));
        foreach (var code in codes.Where(code => current.All(x => x.CategoryCode != code)))
            db.RecordRetentions.Add(new RecordRetention { RecordId = record.Id, CategoryCode = code, SetById = user.Id, SetAt = now });
        await db.SaveChangesAsync(ct);
        await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
        db.LedgerPending.Add(LedgerLeaves.RetentionSet(record, codes, user.Id, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new RetentionView(record.Id, record.RetainUntil, record.RetentionOpenEnded, codes.Order(StringComparer.Ordinal).ToList(), record.PurgedAt));
    }

    // ----- legal holds -----

    public static async Task<List<HoldView>> HoldsAsync(AvLedgerDb db, Account user, DateTimeOffset now, bool activeOnly, CancellationToken ct)
    {
        if (user.UnitPath is null) return [];
        var scope = new Scope(user, now);
        var records = scope.RecordsInCharge(db.Records).Select(r => r.Id);
        var cases = scope.CasesInCharge(db.Cases).Select(c => c.Id);
        var query = db.LegalHolds.AsNoTracking()
            .Where(h => (h.RecordId != null && records.Contains(h.RecordId)) || (h.CaseId != null && cases.Contains(h.CaseId)));
        if (activeOnly) query = query.Where(h => h.ReleasedAt == null);
        return await query.OrderByDescending(h => h.PlacedAt).Take(500)
            .Select(h => new HoldView(h.Id, h.RecordId, h.CaseId, db.Cases.Where(c => c.Id == h.CaseId).Select(c => c.Number).FirstOrDefault(),
                h.Reason, h.PlacedById, h.PlacedAt, h.ReleasedAt))
            .ToListAsync(ct);
    }

    static async Task<Ok<List<HoldView>>> ListHoldsAsync(CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct, bool active = false) =>
        TypedResults.Ok(await HoldsAsync(db, user, clock.GetUtcNow(), active, ct));

    public static async Task<IResult> PlaceHoldAsync(NewHold h, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!user.Account.Has(Keepers)) return Problems.Forbidden();
        var now = clock.GetUtcNow();
        if (string.IsNullOrWhiteSpace(h.RecordId) == string.IsNullOrWhiteSpace(h.CaseNumber))
            return Invalid("请指定一条记录（recordId）或一个案件（caseNumber），二者选一。", "Name either a record (recordId) or a case (caseNumber), not both.");
        if (string.IsNullOrWhiteSpace(h.Reason) || h.Reason.Length > 2000) return Invalid("请填写保全（冻结）理由（不超过 2000 字）。", "Give the reason for the hold (at most 2000 characters).");
        string? recordId = null, caseId = null;
        if (!string.IsNullOrWhiteSpace(h.RecordId))
        {
            var record = await KeptRecordAsync(h.RecordId.Trim(), user, db, now, ct);
            if (record is null) return Problems.NotFound();
            if (record.PurgedAt is not null) return Purged();
            recordId = record.Id;
        }
        else
        {
            var number = h.CaseNumber!.Trim();
            var found = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => new { c.Id, c.UnitPath }).SingleOrDefaultAsync(ct);
            if (found is null || !user.Scope.Covers(found.UnitPath)) return Problems.NotFound();
            caseId = found.Id;
        }
        var hold = new LegalHold { Id = Ids.New(), RecordId = recordId, CaseId = caseId, Reason = h.Reason.Trim(), PlacedById = user.Id, PlacedAt = now };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.LegalHolds.Add(hold);
        db.LedgerPending.Add(LedgerLeaves.LegalHold(PurgeKinds.HoldPlaced, hold, user.Id, now));
        await db.SaveChangesAsync(ct);
        await RetentionRules.RecomputeAsync(db, recordId is not null ? [recordId] : await RetentionRules.RecordsOfCaseAsync(db, caseId!, ct), now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/legal-holds/{hold.Id}",
            new HoldView(hold.Id, hold.RecordId, hold.CaseId, h.CaseNumber?.Trim(), hold.Reason, hold.PlacedById, hold.PlacedAt, null));
    }

    public static async Task<IResult> ReleaseHoldAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!user.Account.Has(Keepers)) return Problems.Forbidden();
        var now = clock.GetUtcNow();
        var hold = Ids.LooksValid(id) ? await db.LegalHolds.SingleOrDefaultAsync(x => x.Id == id, ct) : null;
        if (hold is null) return Problems.NotFound();
        if (hold.RecordId is not null && await KeptRecordAsync(hold.RecordId, user, db, now, ct) is null) return Problems.NotFound();
        if (hold.CaseId is not null && !user.Scope.Covers(await db.Cases.Where(c => c.Id == hold.CaseId).Select(c => c.UnitPath).SingleOrDefaultAsync(ct))) return Problems.NotFound();
        if (hold.ReleasedAt is not null) return Problems.Of(409, "hold-released", "已解除", "Already released", "该保全已经解除。", "This hold has already been released.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        hold.ReleasedAt = now;
        hold.ReleasedById = user.Id;
        db.LedgerPending.Add(LedgerLeaves.LegalHold(PurgeKinds.HoldReleased, hold, user.Id, now));
        await db.SaveChangesAsync(ct);
        await RetentionRules.RecomputeAsync(db, hold.RecordId is not null ? [hold.RecordId] : await RetentionRules.RecordsOfCaseAsync(db, hold.CaseId!, ct), now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    // ----- purge proposals -----

    public static async Task<List<ProposalView>> ProposalsAsync(AvLedgerDb db, Account user, DateTimeOffset now, string? state, CancellationToken ct)
    {
        if (user.UnitPath is null) return [];
        var query = new Scope(user, now).PurgeProposals(db.PurgeProposals.AsNoTracking(), db.Records);
        if (state is not null && Enum.TryParse<PurgeState>(state, ignoreCase: true, out var s)) query = query.Where(p => p.State == s);
        return await query.OrderByDescending(p => p.ProposedAt).Take(500)
            .Join(db.Records, p => p.RecordId, r => r.Id, (p, r) => new ProposalView(p.Id, p.RecordId, r.FileName, r.OfficerBadge, r.RecordedStart, p.RetainUntil,
                p.State.ToString(), p.ProposedAt, p.DeciderId, p.DecidedAt, p.DestroyAfter, p.ExecutedAt))
            .ToListAsync(ct);
    }

    static async Task<IResult> ListProposalsAsync(CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct, string? state = null)
    {
        if (state is not null && !Enum.TryParse<PurgeState>(state, ignoreCase: true, out _))
            return Invalid("state 取 proposed、approved、rejected、cancelled、executed 或 withdrawn。", "state is one of proposed, approved, rejected, cancelled, executed, withdrawn.");
        return TypedResults.Ok(await ProposalsAsync(db, user, clock.GetUtcNow(), state, ct));
    }

    /// <summary>The proposal, if <paramref name="user"/> is a department head over its record's unit (and may see the record).</summary>
    static async Task<PurgeProposal?> HeadsProposalAsync(string id, CurrentUser user, AvLedgerDb db, DateTimeOffset now, CancellationToken ct)
    {
        if (!Ids.LooksValid(id) || !user.Account.Has(Role.DepartmentHead) || user.Account.UnitPath is null) return null;
        return await new Scope(user, now).PurgeProposals(db.PurgeProposals, db.Records).SingleOrDefaultAsync(p => p.Id == id, ct);
    }

    static ProblemHttpResult NotPending(PurgeProposal p) => Problems.Of(409, "purge-not-pending", "该销毁建议已处理", "Proposal already handled",
        $"该销毁建议的状态为 {p.State}，不能再审批。", $"This proposal is {p.State}; it can no longer be decided.");

    public static async Task<IResult> DecideAsync(string id, bool approve, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock,
        IOptions<AvLedgerOptions> options, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var proposal = await HeadsProposalAsync(id, user, db, now, ct);
        if (proposal is null) return Problems.NotFound();
        if (proposal.State != PurgeState.Proposed) return NotPending(proposal);
        if (WrittenConfirmation.OpinionProblem(d.Opinion) is { } bad) return bad;
        var (_, unconfirmed) = await WrittenConfirmation.ConfirmAsync(signIns, user.Account, d.Password, d.Totp, ct);
        if (unconfirmed is not null) return unconfirmed;
        var record = await db.Records.SingleAsync(r => r.Id == proposal.RecordId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (approve)
        {
            // The rules again, as they stand now: a hold, a case or a new category since the proposal keeps the record.
            var changed = await RetentionRules.RecomputeAsync(db, [record.Id], now, ct);
            if (proposal.State == PurgeState.Withdrawn)
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return Problems.Of(409, "retention-not-expired", "记录仍在保存期内", "Record still kept",
                    "该记录因保全、关联案件或保存类别变化仍须保存，销毁建议已撤回。", "A hold, a linked case or a category now keeps this record; the proposal was withdrawn.");
            }
            _ = changed;
        }
        proposal.State = approve ? PurgeState.Approved : PurgeState.Rejected;
        proposal.DeciderId = user.Id;
        proposal.Opinion = d.Opinion!.Trim();
        proposal.DecidedAt = now;
        if (approve) proposal.DestroyAfter = now + options.Value.Retention.RecoveryWindow;
        db.LedgerPending.Add(LedgerLeaves.Purge(approve ? PurgeKinds.Approved : PurgeKinds.Rejected, proposal, user.Id, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(await ViewOfAsync(db, proposal.Id, ct));
    }

    static async Task<ProposalView> ViewOfAsync(AvLedgerDb db, string id, CancellationToken ct) =>
        await db.PurgeProposals.AsNoTracking().Where(p => p.Id == id)
            .Join(db.Records, p => p.RecordId, r => r.Id, (p, r) => new ProposalView(p.Id, p.RecordId, r.FileName, r.OfficerBadge, r.RecordedStart, p.RetainUntil,
                p.State.ToString(), p.ProposedAt, p.DeciderId, p.DecidedAt, p.DestroyAfter, p.ExecutedAt))
            .SingleAsync(ct);

    /// <summary>Recovery: during the window after approval, a head takes the approval back and the record stays.</summary>
    public static async Task<IResult> CancelAsync(string id, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var proposal = await HeadsProposalAsync(id, user, db, now, ct);
        if (proposal is null) return Problems.NotFound();
        if (proposal.State != PurgeState.Approved || proposal.DestroyAfter is not { } after || now >= after)
            return Problems.Of(409, "not-in-recovery-window", "不在恢复期内", "Not in the recovery window",
                "只有已批准且尚未到销毁时间的销毁建议可以撤销。", "Only an approved proposal whose recovery window is still running can be cancelled.");
        proposal.State = PurgeState.Cancelled;
        proposal.CancelledById = user.Id;
        db.LedgerPending.Add(LedgerLeaves.Purge(PurgeKinds.Cancelled, proposal, user.Id, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    // ----- never deleted -----

    static async Task<IResult> RefuseDeleteAsync(string id, HttpContext http, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        var known = Ids.LooksValid(id) && await db.Records.AsNoTracking().VisibleTo(user, clock.GetUtcNow()).AnyAsync(r => r.Id == id, ct);
        if (!known) return Problems.NotFound();
        http.Response.Headers.Allow = "GET";
        return Problems.Of(405, "records-are-never-deleted", "执法音像记录不能删除", "Records are never deleted",
            "原始记录不得删除；保存期满后，须经负责人批准并经过恢复期，由系统销毁原始文件并保留记录元数据与哈希值。",
            "An original is never deleted; after its retention period, a head's approval and the recovery window, the system destroys it and keeps the record's metadata and hash.");
    }
}
