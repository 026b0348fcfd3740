using AvLedger.Core;
using AvLedger.Core.Accounts;
using AvLedger.Core.Approvals;
using AvLedger.Core.Data;
using AvLedger.Server.Auth;
using AvLedger.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Server.Approvals;

/// <summary>External provision (Art. 17): records leave the system only with the owning unit's
/// head's written approval, who may first consult the superior unit's head. Approval opens the
/// evidence export of those records to the requester, and nothing else.</summary>
public static class ProvisionsApi
{
    /// <summary>How long an approved provision may be exported.</summary>
    public const int ExportDays = 30;

    public sealed record NewProvision(string? RecipientOrganisation, string? RecipientPerson, string? Purpose, string? LegalBasis, List<string>? RecordIds, bool? Sensitive);
    public sealed record Consultation(string? Opinion, string? Password, string? Totp = null);
    public sealed record ConsultView(string? UnitCode, bool Answered);
    public sealed record ProvisionView(string Id, string RecipientOrganisation, string RecipientPerson, string Purpose, string LegalBasis, bool Sensitive,
        AccessRequestsApi.RequestView Request, IReadOnlyList<ConsultView> Consultations);

    public static void MapProvisions(this IEndpointRouteBuilder app)
    {
        var provisions = app.MapGroup("/api/v1/provisions").RequireAuthorization();
        provisions.MapPost("/", CreateAsync);
        provisions.MapGet("/{id}", GetAsync);
        provisions.MapPost("/{id}/consult", ConsultAsync);
        provisions.MapPost("/{id}/consultation", AnswerAsync);
        provisions.MapPost("/{id}/approve", (string id, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct) =>
            AccessRequestsApi.DecideAsync(id, approve: true, provision: true, d, user, db, signIns, clock, ct));
        provisions.MapPost("/{id}/reject", (string id, AccessRequestsApi.Decide d, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct) =>
            AccessRequestsApi.DecideAsync(id, approve: false, provision: true, d, user, db, signIns, clock, ct));
    }

    public static async Task<IResult> CreateAsync(NewProvision p, CurrentUser user, AvLedgerDb db, TimeProvider clock, CancellationToken ct)
    {
        static bool Missing(string? s, int max) => string.IsNullOrWhiteSpace(s) || s.Length > max;
        if (Missing(p.RecipientOrganisation, 500) || Missing(p.RecipientPerson, 200) || Missing(p.Purpose, 2000) || Missing(p.LegalBasis, 2000))
            return AccessRequestsApi.Invalid("须填写接收单位、接收人、用途和法律依据。", "Give the recipient organisation and person, the purpose and the legal basis.");
        if (p.RecordIds is not { Count: > 0 and <= 500 } ids || ids.Any(i => !Ids.LooksValid(i)))
            return AccessRequestsApi.Invalid("recordIds 须为 1 至 500 个记录编号。", "recordIds must hold 1 to 500 record ids.");
        var details = new ProvisionDetails
        {
            RecipientOrganisation = p.RecipientOrganisation!.Trim(),
            RecipientPerson = p.RecipientPerson!.Trim(),
            LegalBasis = p.LegalBasis!.Trim(),
            Sensitive = p.Sensitive == true,
        };
        var request = await AccessRequests.CreateAsync(db, user.Account, AccessKind.Provide, p.Purpose!.Trim(), ExportDays,
            new AccessTarget(ids.Distinct().ToList(), null, null, null, null, null), clock.GetUtcNow(), ct, details);
        return TypedResults.Created($"/api/v1/provisions/{request.Id}", new AccessRequestsApi.Created(request.Id));
    }

    static async Task<AccessRequest?> FindAsync(AvLedgerDb db, string id, CancellationToken ct) =>
        Ids.LooksValid(id) ? await db.AccessRequests.Include(r => r.Decisions).ThenInclude(d => d.Grant)
            .SingleOrDefaultAsync(r => r.Id == id && r.Kind == AccessKind.Provide, ct) : null;

    static bool Consulted(Account user, AccessDecision d) => user.Has(Role.DepartmentHead) && d.ConsultUnitId is not null && user.UnitId == d.ConsultUnitId;

    static async Task<IResult> GetAsync(string id, CurrentUser user, AvLedgerDb db, CancellationToken ct)
    {
        var r = await FindAsync(db, id, ct);
        if (r is null || (r.RequesterId != user.Id && !r.Decisions.Any(d => AccessRequestsApi.Decides(user.Account, d) || Consulted(user.Account, d)))) return Problems.NotFound();
        var codes = await db.Units.Where(u => r.Decisions.Select(d => d.ConsultUnitId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Code, ct);
        return TypedResults.Ok(new ProvisionView(r.Id, r.Provision!.RecipientOrganisation, r.Provision.RecipientPerson, r.Reason, r.Provision.LegalBasis, r.Provision.Sensitive,
            AccessRequestsApi.View(r), r.Decisions.Where(d => d.ConsultUnitId is not null).Select(d => new ConsultView(codes.GetValueOrDefault(d.ConsultUnitId!), d.ConsultedAt is not null)).ToList()));
    }

    /// <summary>The deciding head asks the superior unit's head for an opinion first.</summary>
    public static async Task<IResult> ConsultAsync(string id, CurrentUser user, AvLedgerDb db, CancellationToken ct)
    {
        var r = await FindAsync(db, id, ct);
        var mine = r?.Decisions.Where(d => AccessRequestsApi.Decides(user.Account, d) && d.State == DecisionState.Pending && d.ConsultUnitId is null).ToList() ?? [];
        if (r is null || mine.Count == 0) return Problems.NotFound();
        string? superior = null;
        foreach (var decision in mine) superior = await AccessRequests.RequestConsultationAsync(db, decision, ct);
        if (superior is null)
            return Problems.Of(409, "no-superior", "没有可征求意见的上级单位", "No superior unit to consult", "本单位没有设有负责人的上级单位。", "No unit above yours has a head.");
        return TypedResults.Ok(new ConsultView(await db.Units.Where(u => u.Id == superior).Select(u => u.Code).SingleAsync(ct), false));
    }

    /// <summary>The superior head's opinion, confirmed with their password like a decision.</summary>
    public static async Task<IResult> AnswerAsync(string id, Consultation c, CurrentUser user, AvLedgerDb db, SignIns signIns, TimeProvider clock, CancellationToken ct)
    {
        var r = await FindAsync(db, id, ct);
        var asked = r?.Decisions.Where(d => Consulted(user.Account, d) && d.ConsultedAt is null).ToList() ?? [];
        if (r is null || asked.Count == 0) return Problems.NotFound();
        if (WrittenConfirmation.OpinionProblem(c.Opinion) is { } noOpinion) return noOpinion;
        var (_, unconfirmed) = await WrittenConfirmation.ConfirmAsync(signIns, user.Account, c.Password, c.Totp, ct);
        if (unconfirmed is not null) return unconfirmed;
        var consultant = await db.Accounts.SingleAsync(a => a.Id == user.Id, ct);
        foreach (var decision in asked) await AccessRequests.RecordConsultationAsync(db, decision, consultant, c.Opinion!.Trim(), clock.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }
}
