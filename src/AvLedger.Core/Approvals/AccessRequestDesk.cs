using AvLedger.Core.Data;
using AvLedger.Core.Refusals;
using AvLedger.Core.Scoping;
using Microsoft.EntityFrameworkCore;

namespace AvLedger.Core.Approvals;

/// <summary>The requester's side of Art. 17: asking to view, copy or provide records beyond one's
/// scope, and following one's requests. A request names its target; who decides is resolved
/// without the requester's scope (<see cref="AccessRequests.CreateAsync"/>).</summary>
public sealed class AccessRequestDesk(AvLedgerDb db)
{
    /// <summary>How long an approved provision may be exported.</summary>
    public const int ExportDays = 30;

    public sealed record OfficerWindow(string? OfficerBadge, DateTimeOffset? From, DateTimeOffset? To);
    public sealed record NewRequest(AccessKind? Kind, string? Reason, int? Days, List<string>? RecordIds, string? SessionId, string? CaseNumber, OfficerWindow? Officer);
    public sealed record NewProvision(string? RecipientOrganisation, string? RecipientPerson, string? Purpose, string? LegalBasis, List<string>? RecordIds, bool? Sensitive);
    public sealed record DecisionView(string Id, string State, string? Number, DateTimeOffset? DecidedAt, string? GrantId, DateTimeOffset? ExpiresAt, bool Revoked);
    public sealed record RequestView(string Id, AccessKind Kind, int Days, string TargetType, DateTimeOffset CreatedAt, string State, IReadOnlyList<DecisionView> Decisions);
    public sealed record ConsultView(string? UnitCode, bool Answered);
    public sealed record ProvisionView(string Id, string RecipientOrganisation, string RecipientPerson, string Purpose, string LegalBasis, bool Sensitive,
        RequestView Request, IReadOnlyList<ConsultView> Consultations);

    /// <summary>A request or provision that cannot be made as asked (also a missing opinion).</summary>
    public static Refusal Invalid(string reason, params object[] args) => new(400, InvalidCode, reason, args);

    public const string InvalidCode = "access-request-invalid";

    public async Task<Outcome<AccessRequest>> CreateAsync(Scope requester, NewRequest r, CancellationToken ct)
    {
        if (r.Kind is null) return Invalid("kind-missing");
        // External provision has its own form: a recipient and a legal basis (Art. 17), decided as such.
        if (r.Kind == AccessKind.Provide) return Invalid("provide-elsewhere");
        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > 2000) return Invalid("reason-missing");
        if (r.Days is not (>= 1 and <= AccessRequests.MaxDays)) return Invalid("days-range", AccessRequests.MaxDays);
        var targets = (r.RecordIds is not null ? 1 : 0) + (r.SessionId is not null ? 1 : 0) + (r.CaseNumber is not null ? 1 : 0) + (r.Officer is not null ? 1 : 0);
        if (targets != 1) return Invalid("target-one");
        if (r.RecordIds is { } ids && (ids.Count is 0 or > 500 || ids.Any(i => !Ids.LooksValid(i)))) return Invalid("record-ids");
        if (r.Officer is { } o && (string.IsNullOrWhiteSpace(o.OfficerBadge) || o.From is null || o.To is null || o.To <= o.From)) return Invalid("officer-window");
        var target = new AccessTarget(r.RecordIds?.Distinct().ToList(), r.SessionId, r.CaseNumber, r.Officer?.OfficerBadge, r.Officer?.From, r.Officer?.To);
        return await AccessRequests.CreateAsync(db, requester.Person, r.Kind.Value, r.Reason.Trim(), r.Days.Value, target, requester.Now, ct);
    }

    /// <summary>External provision: records leave the system only with the owning unit's head's written approval.</summary>
    public async Task<Outcome<AccessRequest>> ProvideAsync(Scope requester, NewProvision p, CancellationToken ct)
    {
        static bool Missing(string? s, int max) => string.IsNullOrWhiteSpace(s) || s.Length > max;
        if (Missing(p.RecipientOrganisation, 500) || Missing(p.RecipientPerson, 200) || Missing(p.Purpose, 2000) || Missing(p.LegalBasis, 2000))
            return Invalid("provision-incomplete");
        if (p.RecordIds is not { Count: > 0 and <= 500 } ids || ids.Any(i => !Ids.LooksValid(i))) return Invalid("record-ids");
        var details = new ProvisionDetails
        {
            RecipientOrganisation = p.RecipientOrganisation!.Trim(),
            RecipientPerson = p.RecipientPerson!.Trim(),
            LegalBasis = p.LegalBasis!.Trim(),
            Sensitive = p.Sensitive == true,
        };
        return await AccessRequests.CreateAsync(db, requester.Person, AccessKind.Provide, p.Purpose!.Trim(), ExportDays,
            new AccessTarget(ids.Distinct().ToList(), null, null, null, null, null), requester.Now, ct, details);
    }

    /// <summary>The person's own requests, newest first.</summary>
    public async Task<List<RequestView>> MineAsync(Scope requester, CancellationToken ct)
    {
        var id = requester.Id;
        return (await db.AccessRequests.AsNoTracking().Include(r => r.Decisions).ThenInclude(d => d.Grant)
                .Where(r => r.RequesterId == id).OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(ct))
            .Select(View).ToList();
    }

    /// <summary>A request, to its requester and the deciding units' heads; to anyone else it does not exist.</summary>
    public async Task<Outcome<RequestView>> GetAsync(Scope reader, string id, CancellationToken ct)
    {
        var request = Ids.LooksValid(id) ? await db.AccessRequests.AsNoTracking().Include(r => r.Decisions).ThenInclude(d => d.Grant).SingleOrDefaultAsync(r => r.Id == id, ct) : null;
        if (request is null || (request.RequesterId != reader.Id && !request.Decisions.Any(reader.Decides))) return Refusal.NotFound;
        return View(request);
    }

    /// <summary>A provision, to its requester, the deciding heads and the heads consulted.</summary>
    public async Task<Outcome<ProvisionView>> GetProvisionAsync(Scope reader, string id, CancellationToken ct)
    {
        var r = await FindProvisionAsync(db, id, ct);
        if (r is null || (r.RequesterId != reader.Id && !r.Decisions.Any(d => reader.Decides(d) || reader.IsConsultedOn(d)))) return Refusal.NotFound;
        var consulted = r.Decisions.Select(d => d.ConsultUnitId).ToList();
        var codes = await db.Units.Where(u => consulted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Code, ct);
        return new ProvisionView(r.Id, r.Provision!.RecipientOrganisation, r.Provision.RecipientPerson, r.Reason, r.Provision.LegalBasis, r.Provision.Sensitive,
            View(r), r.Decisions.Where(d => d.ConsultUnitId is not null).Select(d => new ConsultView(codes.GetValueOrDefault(d.ConsultUnitId!), d.ConsultedAt is not null)).ToList());
    }

    internal static async Task<AccessRequest?> FindProvisionAsync(AvLedgerDb db, string id, CancellationToken ct) =>
        Ids.LooksValid(id) ? await db.AccessRequests.Include(r => r.Decisions).ThenInclude(d => d.Grant)
            .SingleOrDefaultAsync(r => r.Id == id && r.Kind == AccessKind.Provide, ct) : null;

    public static RequestView View(AccessRequest r) => new(r.Id, r.Kind, r.Days, r.TargetType, r.CreatedAt, StateOf(r), r.Decisions.Select(View).ToList());

    public static DecisionView View(AccessDecision d) =>
        new(d.Id, d.State.ToString().ToLowerInvariant(), d.Number, d.DecidedAt, d.Grant?.Id, d.Grant?.ExpiresAt, d.Grant?.RevokedAt is not null);

    /// <summary>Pending until every part is decided (also when nothing matched: the requester is not told).</summary>
    public static string StateOf(AccessRequest r) =>
        r.Decisions.Count == 0 || r.Decisions.Any(d => d.State == DecisionState.Pending) ? "pending"
        : r.Decisions.All(d => d.State == DecisionState.Approved) ? "approved"
        : r.Decisions.All(d => d.State == DecisionState.Rejected) ? "rejected" : "partly-approved";
}
